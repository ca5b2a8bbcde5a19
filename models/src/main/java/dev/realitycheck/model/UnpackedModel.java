package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A SavedModel directory that {@link SavedModelArchive#unpack} created in a fresh temporary
 * directory; {@link #close()} deletes it.
 *
 * <p>TensorFlow reads the whole model while {@link SavedModelEmbedder#load loading} it, so the
 * directory may be deleted as soon as the embedder is loaded.
 */
public final class UnpackedModel implements AutoCloseable {

    private final Path directory;

    UnpackedModel(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** @return the SavedModel directory */
    public Path directory() {
        return directory;
    }

    /** Deletes the directory and everything in it; does nothing if it is already gone. */
    @Override
    public void close() throws IOException {
        deleteRecursively(directory);
    }

    /** Deletes {@code root} and everything below it, deepest first, without following links. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
