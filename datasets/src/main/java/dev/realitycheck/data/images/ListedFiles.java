package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the files a dataset's index lists into {@link ImageEntry entries} with their byte sizes,
 * collecting every listed file that is missing so that one error names them all.
 */
final class ListedFiles {

    /** How many missing files an error message names. */
    static final int NAMED = 10;

    private final Path root;
    private final String listedIn;
    private final List<ImageEntry> entries = new ArrayList<>();
    private final List<String> missing = new ArrayList<>();

    /**
     * @param root     the dataset's root
     * @param listedIn where the paths come from, for error messages (an index file's name)
     */
    ListedFiles(Path root, String listedIn) {
        this.root = root;
        this.listedIn = listedIn;
    }

    /** Adds the file at {@code relative} (to the root) with {@code label}, or notes it missing. */
    void add(String relative, int label) throws IOException {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            missing.add(relative);
            return;
        }
        entries.add(new ImageEntry(relative, label, Files.size(file)));
    }

    /**
     * @return the entries added
     * @throws IOException if any listed file is missing (naming the first {@value #NAMED})
     */
    List<ImageEntry> entries() throws IOException {
        if (!missing.isEmpty()) {
            throw new IOException(root + ": " + missing.size() + " file(s) listed in " + listedIn + " missing: "
                    + String.join(", ", missing.subList(0, Math.min(NAMED, missing.size())))
                    + (missing.size() > NAMED ? ", ..." : ""));
        }
        return entries;
    }
}
