package dev.realitycheck.loss.miner;

import dev.realitycheck.loss.Triplets;
import dev.realitycheck.loss.distance.Distance;
import dev.realitycheck.loss.distance.LpDistance;
import java.util.Objects;

/**
 * pytorch-metric-learning's {@code TripletMarginMiner}: of every triplet {@code (a, p, n)} of the
 * batch, with {@code m = d(a, n) - d(a, p)} (mirrored for a similarity), keeps
 * <ul>
 *   <li>{@link Type#ALL}: {@code m <= margin} (every triplet that still has a loss),</li>
 *   <li>{@link Type#HARD}: {@code m <= 0} (the negative is at least as close as the positive),</li>
 *   <li>{@link Type#SEMIHARD}: {@code 0 < m <= margin},</li>
 *   <li>{@link Type#EASY}: {@code m > margin}.</li>
 * </ul>
 *
 * @param margin   finite; PML default 0.2
 * @param type     which triplets; PML default {@link Type#ALL}
 * @param distance PML default {@link LpDistance}
 */
public record TripletMarginMiner(double margin, Type type, Distance distance) implements Miner {

    /** The kinds of triplets PML's miner selects. */
    public enum Type { ALL, HARD, SEMIHARD, EASY }

    /** Validates the margin. */
    public TripletMarginMiner {
        if (!Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be finite, was " + margin);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(distance, "distance");
    }

    /** PML's defaults with the given type: margin 0.2, {@link LpDistance}. */
    public TripletMarginMiner(Type type) {
        this(0.2, type, new LpDistance());
    }

    @Override
    public Triplets mine(float[] embeddings, int dim, int[] labels) {
        double[] d = Miner.matrix(distance, embeddings, dim, labels);
        int b = labels.length;
        IntList as = new IntList();
        IntList ps = new IntList();
        IntList ns = new IntList();
        boolean inverted = distance.isInverted();
        for (int a = 0; a < b; a++) {
            int row = a * b;
            for (int p = 0; p < b; p++) {
                if (p == a || labels[p] != labels[a]) {
                    continue;
                }
                double ap = d[row + p];
                for (int n = 0; n < b; n++) {
                    if (labels[n] == labels[a]) {
                        continue;
                    }
                    // distance.margin(d_an, d_ap), inlined: this loop runs B^3 times
                    double m = inverted ? ap - d[row + n] : d[row + n] - ap;
                    if (selects(m)) {
                        as.add(a);
                        ps.add(p);
                        ns.add(n);
                    }
                }
            }
        }
        return new Triplets(as.toArray(), ps.toArray(), ns.toArray());
    }

    private boolean selects(double m) {
        return switch (type) {
            case ALL -> m <= margin;
            case HARD -> m <= margin && m <= 0;
            case SEMIHARD -> m <= margin && m > 0;
            case EASY -> m > margin;
        };
    }
}
