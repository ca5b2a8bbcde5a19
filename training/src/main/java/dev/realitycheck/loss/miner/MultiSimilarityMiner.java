package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.Pairs;
import dev.realitycheck.loss.distance.CosineSimilarity;
import dev.realitycheck.loss.distance.Distance;
import java.util.Objects;

/**
 * pytorch-metric-learning's {@code MultiSimilarityMiner} (Wang et al. 2019), for a similarity: a
 * positive pair {@code (i, j)} is kept if {@code s_ij - ε} is below the anchor's largest negative
 * similarity, a negative pair {@code (i, k)} if {@code s_ik + ε} is above the anchor's smallest
 * positive similarity. For a distance the comparisons are mirrored ({@code d_ij + ε} above the
 * smallest negative distance; {@code d_ik - ε} below the largest positive distance). An anchor
 * without positives keeps no negatives, and one without negatives keeps no positives.
 *
 * <p>PML lists the pairs of an anchor in sorted order of the values; here they are in index order
 * (the same set).
 *
 * @param epsilon  finite; PML default 0.1
 * @param distance PML default {@link CosineSimilarity}
 */
public record MultiSimilarityMiner(double epsilon, Distance distance) implements Miner {

    /** Validates epsilon. */
    public MultiSimilarityMiner {
        if (!Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite, was " + epsilon);
        }
        Objects.requireNonNull(distance, "distance");
    }

    /** PML's defaults. */
    public MultiSimilarityMiner() {
        this(0.1, new CosineSimilarity());
    }

    @Override
    public Pairs mine(float[] embeddings, int dim, int[] labels) {
        double[] d = Miner.matrix(distance, embeddings, dim, labels);
        int b = labels.length;
        boolean inverted = distance.isInverted();
        IntList a1 = new IntList();
        IntList p = new IntList();
        IntList a2 = new IntList();
        IntList n = new IntList();
        for (int i = 0; i < b; i++) {
            // the hardest negative (most similar / closest) and hardest positive (least similar / farthest)
            double hardestNegative = inverted ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            double hardestPositive = inverted ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            for (int j = 0; j < b; j++) {
                double v = d[i * b + j];
                if (labels[j] != labels[i]) {
                    hardestNegative = inverted ? Math.max(hardestNegative, v) : Math.min(hardestNegative, v);
                } else if (j != i) {
                    hardestPositive = inverted ? Math.min(hardestPositive, v) : Math.max(hardestPositive, v);
                }
            }
            for (int j = 0; j < b; j++) {
                double v = d[i * b + j];
                if (j != i && labels[j] == labels[i]) {
                    if (inverted ? v - epsilon < hardestNegative : v + epsilon > hardestNegative) {
                        a1.add(i);
                        p.add(j);
                    }
                } else if (labels[j] != labels[i]) {
                    if (inverted ? v + epsilon > hardestPositive : v - epsilon < hardestPositive) {
                        a2.add(i);
                        n.add(j);
                    }
                }
            }
        }
        return new Pairs(a1.toArray(), p.toArray(), a2.toArray(), n.toArray());
    }
}
