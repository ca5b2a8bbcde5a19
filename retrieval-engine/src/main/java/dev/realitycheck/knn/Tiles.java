package dev.realitycheck.knn;

/**
 * The walk over the tiles of a block of query rows against every reference that the whole-row
 * and candidate paths share: reference blocks of {@link ExactKnn#BLOCK} outermost, so one block
 * of reference panels stays in cache while every query panel of the row block passes over it
 * (streaming all references per query panel made the large-k path memory-bound).
 */
final class Tiles {

    /** Receives one computed tile: query rows {@code [i0, iEnd)}, references {@code [j0, j0 + len)}. */
    @FunctionalInterface
    interface Consumer {
        void accept(int i0, int iEnd, int j0, int len);
    }

    private Tiles() {
    }

    /**
     * Computes every {@link DotKernel#MR} x {@code kernel.nr()} tile of the search's query rows
     * {@code [rowStart, rowEnd)} against all its references into {@code tile}, handing each to {@code consumer}.
     */
    static void forEach(PanelSearch search, int rowStart, int rowEnd, float[] tile, Consumer consumer) {
        DotKernel kernel = search.kernel();
        Panels a = search.queries();
        Panels b = search.references();
        int nRef = b.rows;
        int nr = kernel.nr();
        for (int colStart = 0; colStart < nRef; colStart += ExactKnn.BLOCK) {
            int colEnd = Math.min(colStart + ExactKnn.BLOCK, nRef);
            for (int i0 = rowStart; i0 < rowEnd; i0 += DotKernel.MR) {
                int aOff = a.offset(i0 / DotKernel.MR);
                int iEnd = Math.min(i0 + DotKernel.MR, rowEnd);
                for (int j0 = colStart; j0 < colEnd; j0 += nr) {
                    kernel.tile(a.data, aOff, b.data, b.offset(j0 / nr), a.dim, tile);
                    consumer.accept(i0, iEnd, j0, Math.min(j0 + nr, colEnd) - j0);
                }
            }
        }
    }
}
