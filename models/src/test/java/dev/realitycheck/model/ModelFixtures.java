package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded inputs and norms shared by the model tests. */
final class ModelFixtures {

    private ModelFixtures() {
    }

    /** {@code count * size} values uniform in [0, 255), like 8-bit pixels, from {@code seed}. */
    static float[] pixels(long seed, int count, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(0, 255);
        }
        return values;
    }

    /** {@code count * size} standard-normal values from {@code seed}. */
    static float[] gaussian(long seed, int count, int size) {
        java.util.Random random = new java.util.Random(seed);
        float[] values = new float[count * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** The L2 norm of each row of a row-major matrix with {@code width} columns. */
    static List<Double> rowNorms(float[] rows, int width) {
        List<Double> norms = new ArrayList<>();
        for (int r = 0; r < rows.length / width; r++) {
            double s = 0;
            for (int j = 0; j < width; j++) {
                s += (double) rows[r * width + j] * rows[r * width + j];
            }
            norms.add(Math.sqrt(s));
        }
        return norms;
    }

    /** Asserts that every row has unit L2 norm within 1e-5. */
    static void assertUnitRows(float[] rows, int width) {
        assertThat(rows.length % width).isZero();
        assertThat(rowNorms(rows, width)).allSatisfy(n -> assertThat(n).isCloseTo(1.0, within(1e-5)));
    }
}
