package dev.realitycheck.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one on-disk layout of a run's checkpoints: {@code <run dir>/iteration-<8 digits>/model/} (the
 * inference SavedModel) and {@code .../state.bin} (the {@link TrainingState} to resume from). A
 * checkpoint counts only once its state file exists, so the state is written last (and atomically
 * where it is copied in).
 *
 * @param root the run's checkpoint directory
 */
public record CheckpointDirectory(Path root) {

    private static final Pattern ITERATION_DIR = Pattern.compile("iteration-(\\d{8})");

    /** The state file's name inside an iteration's directory. */
    public static final String STATE_FILE = "state.bin";

    /** The SavedModel directory's name inside an iteration's directory. */
    public static final String MODEL_DIR = "model";

    /** Validates. */
    public CheckpointDirectory {
        if (root == null) {
            throw new IllegalArgumentException("a checkpoint directory needs a root, got null");
        }
    }

    /** @return the directory of {@code iteration}'s checkpoint (not created) */
    public Path iteration(long iteration) {
        if (iteration < 0 || iteration > 99_999_999) {
            throw new IllegalArgumentException("iteration must lie in [0, 99999999], got " + iteration);
        }
        return root.resolve("iteration-%08d".formatted(iteration));
    }

    /** @return {@code iteration}'s checkpoint paths (nothing is created or checked) */
    public Checkpoint checkpoint(long iteration) {
        Path dir = iteration(iteration);
        return new Checkpoint(iteration, dir.resolve(MODEL_DIR), dir.resolve(STATE_FILE));
    }

    /** @return the checkpoint with the most iterations whose state file is complete, if any */
    public Optional<Checkpoint> latest() throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        Checkpoint best = null;
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.toList()) {
                Matcher matcher = ITERATION_DIR.matcher(dir.getFileName().toString());
                if (matcher.matches() && Files.isRegularFile(dir.resolve(STATE_FILE))) {
                    long it = Long.parseLong(matcher.group(1));
                    if (best == null || it > best.iteration()) {
                        best = checkpoint(it);
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
