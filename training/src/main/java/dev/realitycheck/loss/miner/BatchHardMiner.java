package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.Triplets;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import java.util.Objects;

/**
 * pytorch-metric-learning's {@code BatchHardMiner} (Hermans et al. 2017): for every anchor with at
 * least one positive and one negative in the batch, one triplet of its hardest positive (farthest,
 * or least similar) and its hardest negative (closest, or most similar). Ties go to the lowest
 * index.
 *
 * @param distance PML default {@link LpDistance}
 */
public record BatchHardMiner(Distance distance) implements Miner {

    /** Checks for null. */
    public BatchHardMiner {
        Objects.requireNonNull(distance, "distance");
    }

    /** PML's default: {@link LpDistance}. */
    public BatchHardMiner() {
        this(new LpDistance());
    }

    @Override
    public Triplets mine(float[] embeddings, int dim, int[] labels) {
        double[] d = Miner.matrix(distance, embeddings, dim, labels);
        int b = labels.length;
        IntList as = new IntList();
        IntList ps = new IntList();
        IntList ns = new IntList();
        for (int a = 0; a < b; a++) {
            int hardestPositive = -1;
            int hardestNegative = -1;
            for (int j = 0; j < b; j++) {
                double value = d[a * b + j];
                if (j != a && labels[j] == labels[a]) {
                    // harder positive: farther, i.e. margin(value, best) > 0
                    if (hardestPositive < 0 || distance.margin(value, d[a * b + hardestPositive]) > 0) {
                        hardestPositive = j;
                    }
                } else if (labels[j] != labels[a]) {
                    if (hardestNegative < 0 || distance.margin(value, d[a * b + hardestNegative]) < 0) {
                        hardestNegative = j;
                    }
                }
            }
            if (hardestPositive >= 0 && hardestNegative >= 0) {
                as.add(a);
                ps.add(hardestPositive);
                ns.add(hardestNegative);
            }
        }
        return new Triplets(as.toArray(), ps.toArray(), ns.toArray());
    }
}
