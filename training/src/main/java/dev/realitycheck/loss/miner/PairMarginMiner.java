package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.Pairs;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import java.util.Objects;

/**
 * pytorch-metric-learning's {@code PairMarginMiner}: the positive pairs farther apart than
 * {@code posMargin} and the negative pairs closer than {@code negMargin} (for a similarity: positive
 * pairs less similar than {@code posMargin}, negative pairs more similar than {@code negMargin}).
 *
 * @param posMargin finite; PML default 0.2
 * @param negMargin finite; PML default 0.8
 * @param distance  PML default {@link LpDistance}
 */
public record PairMarginMiner(double posMargin, double negMargin, Distance distance) implements Miner {

    /** Validates the margins. */
    public PairMarginMiner {
        if (!Double.isFinite(posMargin)) {
            throw new IllegalArgumentException("posMargin must be finite, was " + posMargin);
        }
        if (!Double.isFinite(negMargin)) {
            throw new IllegalArgumentException("negMargin must be finite, was " + negMargin);
        }
        Objects.requireNonNull(distance, "distance");
    }

    /** PML's defaults. */
    public PairMarginMiner() {
        this(0.2, 0.8, new LpDistance());
    }

    @Override
    public Pairs mine(float[] embeddings, int dim, int[] labels) {
        double[] d = Miner.matrix(distance, embeddings, dim, labels);
        int b = labels.length;
        IntList a1 = new IntList();
        IntList p = new IntList();
        IntList a2 = new IntList();
        IntList n = new IntList();
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double value = d[i * b + j];
                if (j != i && labels[i] == labels[j]) {
                    if (distance.isInverted() ? value < posMargin : value > posMargin) {
                        a1.add(i);
                        p.add(j);
                    }
                } else if (labels[i] != labels[j]) {
                    if (distance.isInverted() ? value > negMargin : value < negMargin) {
                        a2.add(i);
                        n.add(j);
                    }
                }
            }
        }
        return new Pairs(a1.toArray(), p.toArray(), a2.toArray(), n.toArray());
    }
}
