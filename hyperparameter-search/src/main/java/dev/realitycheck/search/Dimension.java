package dev.realitycheck.search;

import java.util.Objects;

/**
 * One searched hyperparameter: a closed range, optionally on a log scale and/or integer-valued,
 * and its mapping to the unit interval the optimiser works in. On a log scale the unit interval
 * covers {@code [ln min, ln max]} linearly; integer values are rounded after mapping back, so a
 * proposal is always a value the range allows.
 *
 * @param name     the hyperparameter's name (e.g. {@code neg_margin})
 * @param min      lower bound, inclusive, finite; {@code > 0} on a log scale
 * @param max      upper bound, inclusive, finite, {@code >= min}
 * @param logScale search {@code ln(value)} uniformly instead of the value
 * @param integer  round values to integers (the range must then hold at least one integer)
 */
public record Dimension(String name, double min, double max, boolean logScale, boolean integer) {

    /** Validates the range, naming the bad value. */
    public Dimension {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(name + ": min and max must be finite, were " + min + " and " + max);
        }
        if (max < min) {
            throw new IllegalArgumentException(name + ": max (" + max + ") must be >= min (" + min + ")");
        }
        if (logScale && min <= 0) {
            throw new IllegalArgumentException(name + ": min must be > 0 on a log scale, was " + min);
        }
        if (integer && Math.ceil(min) > Math.floor(max)) {
            throw new IllegalArgumentException(name + ": an integer range must hold an integer, [" + min + ", " + max
                    + "] holds none");
        }
    }

    /** A plain linear range of real values. */
    public static Dimension linear(String name, double min, double max) {
        return new Dimension(name, min, max, false, false);
    }

    /** A range searched on a log scale. */
    public static Dimension log(String name, double min, double max) {
        return new Dimension(name, min, max, true, false);
    }

    /** True when {@code value} lies in the range (and is an integer where the range wants one). */
    public boolean contains(double value) {
        return value >= min && value <= max && (!integer || value == Math.rint(value));
    }

    /** The unit-interval coordinate of a value in the range (0 for a range of one value). */
    public double toUnit(double value) {
        double lo = logScale ? Math.log(min) : min;
        double hi = logScale ? Math.log(max) : max;
        if (hi == lo) {
            return 0;
        }
        double v = logScale ? Math.log(value) : value;
        return Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    }

    /** The value at a unit-interval coordinate (clamped to [0, 1]), rounded for integer ranges. */
    public double fromUnit(double unit) {
        double u = Math.max(0, Math.min(1, unit));
        double value = logScale ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        value = Math.max(min, Math.min(max, value));
        if (integer) {
            value = Math.max(Math.ceil(min), Math.min(Math.floor(max), Math.rint(value)));
        }
        return value;
    }
}
