package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes IDX files, the format of MNIST, Fashion-MNIST and their relatives.
 *
 * <p>An IDX file is a magic number {@code 0x00 0x00 <type> <rank>}, then {@code rank}
 * big-endian 32-bit dimensions, then the data, row-major and big-endian. Files may be
 * gzip-compressed; compression is recognised by the gzip magic bytes, not by the file name.
 * Supported types: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float,
 * 0x0E double.
 *
 * <p>Problems with a file's contents are reported as {@link IdxFormatException}s whose message
 * names the file and the problem.
 */
public final class Idx {

    private Idx() {
    }

    /**
     * Reads a whole IDX file, raw or gzip-compressed.
     *
     * @param file the file
     * @return its contents
     * @throws IdxFormatException if the file is not a complete IDX file
     * @throws IOException        if the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        return IdxReader.read(file);
    }

    /**
     * Writes an uncompressed IDX file, replacing any existing file.
     *
     * @param file  the file
     * @param array the contents
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, IdxArray array) throws IOException {
        IdxWriter.write(file, array, false);
    }

    /**
     * Writes a gzip-compressed IDX file, replacing any existing file.
     *
     * @param file  the file, conventionally named {@code *.gz}
     * @param array the contents
     * @throws IOException if the file cannot be written
     */
    public static void writeGzipped(Path file, IdxArray array) throws IOException {
        IdxWriter.write(file, array, true);
    }

    /**
     * Reads an images file ({@code [count, rows, cols]} unsigned bytes) and its labels file
     * ({@code [count]} integers) and pairs them.
     *
     * @param imagesFile the images, e.g. {@code train-images-idx3-ubyte.gz}
     * @param labelsFile the labels, e.g. {@code train-labels-idx1-ubyte.gz}
     * @return images with their labels
     * @throws IdxFormatException naming the offending file if either has the wrong type or rank,
     *                            or if the counts differ
     * @throws IOException        if a file cannot be read
     */
    public static LabeledImages readLabeledImages(Path imagesFile, Path labelsFile) throws IOException {
        IdxArray images = read(imagesFile);
        if (images.type() != IdxType.UNSIGNED_BYTE || images.rank() != 3) {
            throw new IdxFormatException(imagesFile, "expected images as unsigned bytes with dimensions"
                    + " [count x rows x cols], found " + images.type().describe() + " with dimensions "
                    + IdxArray.dimsString(images.dims()));
        }
        IdxArray labels = read(labelsFile);
        if (!labels.type().isInteger() || labels.rank() != 1) {
            throw new IdxFormatException(labelsFile, "expected labels as integers with dimensions [count], found "
                    + labels.type().describe() + " with dimensions " + IdxArray.dimsString(labels.dims()));
        }
        if (labels.count() != images.count()) {
            throw new IdxFormatException(labelsFile, "dimension mismatch: " + labels.count() + " labels, but "
                    + imagesFile + " has " + images.count() + " images");
        }
        return new LabeledImages(images.dim(1), images.dim(2), images.asBytes(), labels.asInts());
    }
}
