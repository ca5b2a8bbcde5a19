package dev.realitycheck.data;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Reorders a column-major (Fortran order) matrix into row-major (C order). */
final class Transpose {

    /** Tile edge: one tile of 8-byte elements is 32 KB, so source and target tiles stay in cache. */
    private static final int TILE = 64;

    private Transpose() {
    }

    /**
     * @param columnMajor {@code rows * cols * itemSize} bytes, column-major, from position 0
     * @return a new buffer with the same elements, row-major; element bytes are copied unchanged
     */
    static ByteBuffer columnMajorToRowMajor(ByteBuffer columnMajor, int rows, int cols, int itemSize) {
        ByteBuffer rowMajor = ByteBuffer.allocate(columnMajor.remaining());
        ByteBuffer src = columnMajor.duplicate();
        switch (itemSize) {
            case 1 -> tiles(rows, cols, (from, to) -> rowMajor.put(to, src.get(from)));
            case 2 -> {
                ShortBuffer s = src.asShortBuffer();
                ShortBuffer d = rowMajor.asShortBuffer();
                tiles(rows, cols, (from, to) -> d.put(to, s.get(from)));
            }
            case 4 -> {
                IntBuffer s = src.asIntBuffer();
                IntBuffer d = rowMajor.asIntBuffer();
                tiles(rows, cols, (from, to) -> d.put(to, s.get(from)));
            }
            case 8 -> {
                LongBuffer s = src.asLongBuffer();
                LongBuffer d = rowMajor.asLongBuffer();
                tiles(rows, cols, (from, to) -> d.put(to, s.get(from)));
            }
            default -> throw new IllegalArgumentException("unsupported item size " + itemSize);
        }
        return rowMajor;
    }

    private interface ElementCopy {
        void copy(int from, int to);
    }

    private static void tiles(int rows, int cols, ElementCopy copy) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        copy.copy(j * rows + i, i * cols + j);
                    }
                }
            }
        }
    }
}
