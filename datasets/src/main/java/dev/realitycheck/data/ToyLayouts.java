package dev.realitycheck.data;

import dev.realitycheck.knn.Embeddings;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The lesson of the paper's Figure 1 as data: three two-class layouts in 2-D where every point's
 * nearest neighbour has its class (Precision@1 = 1) but the classes are arranged very differently,
 * which only MAP@R (and R-Precision) see. Euclidean distance; {@value #PER_CLASS} points per class;
 * deterministic for a seed.
 *
 * <ul>
 *   <li>{@code compact}: two tight, well-separated clusters (σ 0.05, centres 2 apart);</li>
 *   <li>{@code strips}: each class a long thin line (x from 0 to 10, spacing 0.1), the two lines
 *       4 apart: neighbours along a line are far closer than the other line, but the far end of a
 *       class is farther away than the other class's points beside it;</li>
 *   <li>{@code clumps}: each class scattered over 10 tight clumps of 10 points, the clumps on a
 *       checkerboard (spacing 1), so a clump's nearest clumps are of the other class.</li>
 * </ul>
 */
public final class ToyLayouts {

    /** Points per class. */
    public static final int PER_CLASS = 100;

    private ToyLayouts() {
    }

    /**
     * One layout.
     *
     * @param name        short name
     * @param description what it shows
     * @param points      the 2-D points
     * @param labels      0 or 1 per point
     */
    public record Layout(String name, String description, Embeddings points, int[] labels) {

        /** Validates that there is one label per point. */
        public Layout {
            Objects.requireNonNull(name, "name");
            if (points.dim() != 2 || labels.length != points.rows()) {
                throw new IllegalArgumentException("need 2-D points with one label each, got " + points.rows() + " x "
                        + points.dim() + " and " + labels.length + " labels");
            }
        }
    }

    /** The three layouts, in the order compact, strips, clumps. */
    public static List<Layout> all(long seed) {
        return List.of(compact(seed), strips(seed), clumps(seed));
    }

    /** Two tight clusters far apart. */
    public static Layout compact(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * 2 * PER_CLASS];
        int[] labels = new int[2 * PER_CLASS];
        for (int i = 0; i < 2 * PER_CLASS; i++) {
            labels[i] = i / PER_CLASS;
            xy[2 * i] = (float) ((labels[i] == 0 ? -1 : 1) + 0.05 * gaussian(random));
            xy[2 * i + 1] = (float) (0.05 * gaussian(random));
        }
        return new Layout("compact", "two tight clusters, far apart", new Embeddings(xy, 2 * PER_CLASS, 2), labels);
    }

    /** Two long parallel lines, closer together than they are long. */
    public static Layout strips(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * 2 * PER_CLASS];
        int[] labels = new int[2 * PER_CLASS];
        for (int i = 0; i < 2 * PER_CLASS; i++) {
            labels[i] = i / PER_CLASS;
            xy[2 * i] = (float) (0.1 * (i % PER_CLASS) + 0.01 * gaussian(random));
            xy[2 * i + 1] = (float) (4 * labels[i] + 0.01 * gaussian(random));
        }
        return new Layout("strips", "each class a line 10 long, the lines 4 apart", new Embeddings(xy, 2 * PER_CLASS, 2),
                labels);
    }

    /** Each class in ten small clumps on a checkerboard. */
    public static Layout clumps(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int clumps = 10;
        int perClump = PER_CLASS / clumps;
        float[] xy = new float[2 * 2 * PER_CLASS];
        int[] labels = new int[2 * PER_CLASS];
        int i = 0;
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 5; col++) {
                int label = (row + col) % 2;
                for (int p = 0; p < perClump; p++, i++) {
                    labels[i] = label;
                    xy[2 * i] = (float) (col + 0.03 * gaussian(random));
                    xy[2 * i + 1] = (float) (row + 0.03 * gaussian(random));
                }
            }
        }
        return new Layout("clumps", "each class in 10 small clumps, clumps of the two classes alternating",
                new Embeddings(xy, 2 * PER_CLASS, 2), labels);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller from the seeded stream, so the points do not depend on java.util.Random's state
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A character sketch of a layout ({@code o} class 0, {@code x} class 1, {@code #} both).
     *
     * @param layout the layout
     * @param cols   characters across
     * @param rows   lines
     * @return the lines joined by newlines
     */
    public static String sketch(Layout layout, int cols, int rows) {
        Embeddings p = layout.points();
        float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
        for (int i = 0; i < p.rows(); i++) {
            minX = Math.min(minX, p.get(i, 0));
            maxX = Math.max(maxX, p.get(i, 0));
            minY = Math.min(minY, p.get(i, 1));
            maxY = Math.max(maxY, p.get(i, 1));
        }
        char[][] grid = new char[rows][cols];
        for (char[] line : grid) {
            java.util.Arrays.fill(line, '.');
        }
        for (int i = 0; i < p.rows(); i++) {
            int c = cell(p.get(i, 0), minX, maxX, cols);
            int r = rows - 1 - cell(p.get(i, 1), minY, maxY, rows);
            char mark = layout.labels()[i] == 0 ? 'o' : 'x';
            grid[r][c] = grid[r][c] == '.' || grid[r][c] == mark ? mark : '#';
        }
        StringBuilder sb = new StringBuilder();
        for (char[] line : grid) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static int cell(float v, float min, float max, int n) {
        if (max - min < 1e-6f) {
            return n / 2;
        }
        return Math.min(n - 1, (int) ((v - min) / (max - min) * n));
    }
}
