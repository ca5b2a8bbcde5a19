package dev.realitycheck.knn;

import java.util.Locale;

/**
 * How closeness between two embeddings is measured for exact nearest-neighbour retrieval.
 *
 * <p>Internally every distance is turned into a score where larger means closer, so one top-k
 * selection serves both:
 * <ul>
 *   <li>{@link #COSINE}: the vectors are L2-normalised first, the score is the dot product.</li>
 *   <li>{@link #EUCLIDEAN}: the score of reference r for query q is {@code 2 q·r - |r|²}, which
 *       orders references exactly as {@code -|q - r|²} does (the {@code |q|²} term is the same
 *       for every reference of one query).</li>
 * </ul>
 */
public enum KnnDistance {
    /** Cosine similarity of L2-normalised vectors; larger is closer. */
    COSINE,
    /** Euclidean (L2) distance; smaller is closer. */
    EUCLIDEAN;

    /** The lower-case name used on command lines and in JSON ("cosine", "euclidean"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses "cosine" or "euclidean" (any case).
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static KnnDistance parse(String value) {
        for (KnnDistance d : values()) {
            if (d.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distance '" + value + "': expected cosine or euclidean");
    }
}
