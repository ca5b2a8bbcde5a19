package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes NumPy {@code .npy} files.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0; 1-D and 2-D arrays of float
 * ({@code f2 f4 f8}) and signed or unsigned integer ({@code i1..i8}, {@code u1..u8}) types in
 * either byte order; and both C and Fortran order (Fortran data is reordered to row-major).
 * The data is read with bulk channel reads into one buffer, so a file costs its own size in
 * memory, plus one more copy when converted with {@link NpyArray#asFloatMatrix()}.
 *
 * <p>Writing produces format version 1.0, byte for byte as {@code numpy.save} would.
 *
 * <p>Problems with a file's contents are reported as {@link NpyFormatException}s whose message
 * names the file and the problem; problems opening or reading it as other {@link IOException}s.
 */
public final class Npy {

    private Npy() {
    }

    /**
     * Reads a whole {@code .npy} file.
     *
     * @param file the file
     * @return its array, row-major
     * @throws NpyFormatException if the file is not a {@code .npy} array this library reads
     * @throws IOException        if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        return NpyReader.read(file);
    }

    /**
     * Reads only the header of a {@code .npy} file: dtype, order and shape, of any rank.
     *
     * @param file the file
     * @return its header
     * @throws NpyFormatException if the header is malformed or unsupported
     * @throws IOException        if the file cannot be read
     */
    public static NpyHeader readHeader(Path file) throws IOException {
        return NpyReader.readHeader(file);
    }

    /**
     * Reads a 2-D float array, typically embeddings, and checks that it is one.
     *
     * @param file the file
     * @return the array; its {@link NpyArray#asFloatMatrix()} does not fail
     * @throws NpyFormatException if the file is not a 2-D float array
     * @throws IOException        if the file cannot be read
     */
    public static NpyArray readFloatMatrix(Path file) throws IOException {
        NpyArray array = read(file);
        if (array.rank() != 2 || !array.dtype().isFloat()) {
            throw new NpyFormatException(file, "expected a 2-D float array (embeddings), found shape "
                    + NpyHeader.shapeString(array.shape()) + " of " + array.dtype());
        }
        return array;
    }

    /**
     * Reads 1-D integer labels as {@code int}s.
     *
     * @param file the file
     * @return the labels
     * @throws NpyFormatException if the array is not 1-D, not of an integer type, or holds a
     *                            value that does not fit in an {@code int}
     * @throws IOException        if the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        NpyArray array = read(file);
        try {
            return array.asLabels();
        } catch (IllegalStateException e) {
            throw new NpyFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * Reads 1-D integer labels as {@code long}s.
     *
     * @param file the file
     * @return the labels
     * @throws NpyFormatException if the array is not 1-D or not of an integer type, or holds a
     *                            {@code '<u8'} value above {@link Long#MAX_VALUE}
     * @throws IOException        if the file cannot be read
     */
    public static long[] readLongLabels(Path file) throws IOException {
        NpyArray array = read(file);
        try {
            return array.asLongLabels();
        } catch (IllegalStateException e) {
            throw new NpyFormatException(file, e.getMessage(), e);
        }
    }

    /**
     * Writes an array as a version 1.0 {@code .npy} file in C order, replacing any existing file.
     *
     * @param file  the file
     * @param array the array
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, NpyArray array) throws IOException {
        NpyWriter.write(file, array);
    }

    /**
     * Writes a row-major float matrix as a {@code '<f4'} array of shape {@code (rows, cols)},
     * streaming it without copying the whole array.
     *
     * @param file   the file
     * @param rows   number of rows
     * @param cols   number of columns
     * @param values {@code rows * cols} values, row-major
     * @throws IllegalArgumentException if {@code values} does not hold {@code rows * cols} values
     * @throws IOException              if the file cannot be written
     */
    public static void writeFloatMatrix(Path file, int rows, int cols, float[] values) throws IOException {
        NpyWriter.writeFloatMatrix(file, rows, cols, values);
    }

    /**
     * Writes labels as a 1-D {@code '<i4'} array.
     *
     * @param file   the file
     * @param labels the labels
     * @throws IOException if the file cannot be written
     */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        NpyWriter.writeLabels(file, labels);
    }

    /**
     * Writes labels as a 1-D {@code '<i8'} array, NumPy's default integer type.
     *
     * @param file   the file
     * @param labels the labels
     * @throws IOException if the file cannot be written
     */
    public static void writeLabels(Path file, long[] labels) throws IOException {
        NpyWriter.writeLabels(file, labels);
    }
}
