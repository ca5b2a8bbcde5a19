package dev.realitycheck.model;

import java.util.List;

/**
 * A weight file that does not fit a trunk: every problem listed at once.
 *
 * @see PretrainedWeights
 */
public final class WeightFileMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One tensor whose shape differs from the one the trunk needs.
     *
     * @param tensor   its name in the file
     * @param expected the shape the trunk needs, in the file's layout
     * @param found    the shape the file holds
     */
    public record Mismatch(String tensor, List<Integer> expected, List<Integer> found) {
    }

    private final transient List<String> missing;
    private final transient List<String> extra;
    private final transient List<Mismatch> mismatched;

    /**
     * @param file       the file, for the message
     * @param missing    tensors the trunk needs that the file lacks
     * @param extra      tensors of the file the trunk neither uses nor ignores
     * @param mismatched tensors of the wrong shape
     */
    public WeightFileMismatchException(String file, List<String> missing, List<String> extra,
                                       List<Mismatch> mismatched) {
        super(message(file, missing, extra, mismatched));
        this.missing = List.copyOf(missing);
        this.extra = List.copyOf(extra);
        this.mismatched = List.copyOf(mismatched);
    }

    private static String message(String file, List<String> missing, List<String> extra, List<Mismatch> mismatched) {
        StringBuilder b = new StringBuilder(file).append(" does not fit the trunk:");
        if (!missing.isEmpty()) {
            b.append("\n  missing (").append(missing.size()).append("): ").append(String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            b.append("\n  extra (").append(extra.size()).append("): ").append(String.join(", ", extra));
        }
        for (Mismatch m : mismatched) {
            b.append("\n  mismatched: ").append(m.tensor()).append(" expected ").append(m.expected())
                    .append(", found ").append(m.found());
        }
        return b.toString();
    }

    /** @return the tensors the trunk needs that the file lacks */
    public List<String> missing() {
        return missing;
    }

    /** @return the file's tensors the trunk does not know */
    public List<String> extra() {
        return extra;
    }

    /** @return the tensors of the wrong shape */
    public List<Mismatch> mismatched() {
        return mismatched;
    }
}
