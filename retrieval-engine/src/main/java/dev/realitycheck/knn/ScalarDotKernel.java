package dev.realitycheck.knn;

/**
 * Portable {@link DotKernel}: plain loops with {@link Math#fma}, used when the JVM lacks the
 * Vector API module. Gives exactly the scores of {@link VectorDotKernel} for the same panel width.
 */
public final class ScalarDotKernel implements DotKernel {

    private final int nr;

    /** @param nr reference rows per tile, at least 1 */
    public ScalarDotKernel(int nr) {
        if (nr < 1) {
            throw new IllegalArgumentException("nr must be >= 1, got " + nr);
        }
        this.nr = nr;
    }

    @Override
    public int nr() {
        return nr;
    }

    @Override
    public void tile(float[] a, int aOff, float[] b, int bOff, int dim, float[] out) {
        java.util.Arrays.fill(out, 0, MR * nr, 0f);
        for (int p = 0; p < dim; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * nr;
            for (int r = 0; r < MR; r++) {
                float x = a[ap + r];
                int o = r * nr;
                for (int c = 0; c < nr; c++) {
                    out[o + c] = Math.fma(x, b[bp + c], out[o + c]);
                }
            }
        }
    }

    @Override
    public String description() {
        return "scalar-fma";
    }
}
