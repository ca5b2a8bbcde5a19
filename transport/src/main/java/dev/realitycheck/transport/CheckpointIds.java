package dev.realitycheck.transport;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The one scheme of checkpoint ids: {@code <run id>.it<completed iterations>}, e.g.
 * {@code exp-1.contrastive.fold0.seed0.it600}. Deterministic, so a retrained iteration gets the same
 * id and every consumer can tell which run and iteration a record on {@link Topics#CHECKPOINTS} or
 * {@link Topics#TRAINING_STATES} belongs to from its key alone.
 */
public final class CheckpointIds {

    private static final String SEPARATOR = ".it";

    private CheckpointIds() {
    }

    /**
     * @param runId     the run (non-blank)
     * @param iteration its completed iterations (non-negative)
     * @return the checkpoint id
     */
    public static String of(String runId, long iteration) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("a checkpoint id needs a run id, got '" + runId + "'");
        }
        if (iteration < 0) {
            throw new IllegalArgumentException("a checkpoint's iteration must not be negative, got " + iteration);
        }
        return runId + SEPARATOR + iteration;
    }

    /** @return the UTF-8 bytes every checkpoint id of {@code runId} starts with (for matching record keys) */
    public static byte[] keyPrefix(String runId) {
        return (runId + SEPARATOR).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the iteration of {@code checkpointId} when it is an id of {@code runId}, else empty */
    public static OptionalLong iterationOf(String runId, String checkpointId) {
        String prefix = runId + SEPARATOR;
        if (checkpointId == null || !checkpointId.startsWith(prefix) || checkpointId.length() == prefix.length()) {
            return OptionalLong.empty();
        }
        String digits = checkpointId.substring(prefix.length());
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
