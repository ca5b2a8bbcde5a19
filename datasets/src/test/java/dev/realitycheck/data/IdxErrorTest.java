package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way an IDX file can be wrong yields a message naming the file and the problem. */
class IdxErrorTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void assertProblem(Path file, ThrowingCallable read, String... fragments) {
        assertThatThrownBy(read)
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(((IdxFormatException) e).file()).isEqualTo(file));
    }

    @Test
    void rejectsBadMagic() throws IOException {
        Path file = file("x", new byte[] {1, 2, 8, 1, 0, 0, 0, 0});

        assertProblem(file, () -> Idx.read(file), "bad magic: expected 0x00 0x00 <type> <rank>, found 0x01 0x02 0x08 0x01");
    }

    @Test
    void recognisesNpyFilesPassedByMistake() throws IOException {
        Path file = file("x.npy", NpyBytes.header("<f4", false, 1));

        assertProblem(file, () -> Idx.read(file), "this is a NumPy .npy file");
    }

    @Test
    void rejectsEmptyFilesRawAndGzipped() throws IOException {
        Path raw = file("raw", new byte[0]);
        Path gz = file("gz", IdxBytes.gzip(new byte[0]));

        assertProblem(raw, () -> Idx.read(raw), "empty file");
        assertProblem(gz, () -> Idx.read(gz), "empty gzip stream");
    }

    @Test
    void rejectsUnsupportedDataType() throws IOException {
        Path file = file("x", IdxBytes.file(0x0A, new int[] {1}, new byte[1]));

        assertProblem(file, () -> Idx.read(file), "unsupported IDX data type 0x0A");
    }

    @Test
    void rejectsRankZero() throws IOException {
        Path file = file("x", new byte[] {0, 0, 8, 0});

        assertProblem(file, () -> Idx.read(file), "IDX rank 0");
    }

    @Test
    void rejectsFileEndingInsideTheDimensions() throws IOException {
        byte[] whole = IdxBytes.file(0x08, new int[] {60000, 28, 28}, new byte[0]);
        Path file = file("x", Arrays.copyOf(whole, 10));

        assertProblem(file, () -> Idx.read(file), "truncated header: expected 12 bytes for 3 dimensions, found 6");
    }

    @Test
    void rejectsTruncatedRawData() throws IOException {
        byte[] whole = IdxBytes.file(0x08, new int[] {2, 2, 3}, new byte[12]);
        Path file = file("train-images-idx3-ubyte", Arrays.copyOf(whole, whole.length - 2));

        assertProblem(file, () -> Idx.read(file), "truncated data: expected 12 bytes, found 10",
                "unsigned byte (0x08) with dimensions [2 x 2 x 3]");
    }

    @Test
    void rejectsGzippedFileWhosePayloadIsShort() throws IOException {
        byte[] whole = IdxBytes.file(0x08, new int[] {2, 2, 3}, new byte[12]);
        Path file = file("images.gz", IdxBytes.gzip(Arrays.copyOf(whole, whole.length - 5)));

        assertProblem(file, () -> Idx.read(file), "truncated data: expected 12 bytes, found 7 after decompression");
    }

    @Test
    void rejectsGzipStreamCutShort() throws IOException {
        byte[] data = new byte[100_000];
        new java.util.Random(1).nextBytes(data);
        byte[] gz = IdxBytes.gzip(IdxBytes.file(0x08, new int[] {100, 1000}, data));
        Path file = file("images.gz", Arrays.copyOf(gz, gz.length / 2));

        assertProblem(file, () -> Idx.read(file), "truncated data: expected 100000 bytes, found", "after decompression");
    }

    @Test
    void rejectsTrailingDataRawAndGzipped() throws IOException {
        byte[] tooLong = IdxBytes.file(0x08, new int[] {2}, new byte[3]);
        Path raw = file("raw", tooLong);
        Path gz = file("gz", IdxBytes.gzip(tooLong));

        assertProblem(raw, () -> Idx.read(raw), "trailing data: expected 2 bytes, found 3");
        assertProblem(gz, () -> Idx.read(gz), "trailing data: expected 2 bytes, found more after decompression");
    }

    @Test
    void rejectsCorruptGzipData() throws IOException {
        byte[] gz = IdxBytes.gzip(IdxBytes.file(0x08, new int[] {4}, new byte[4]));
        Arrays.fill(gz, 10, gz.length, (byte) 0xFF);
        Path file = file("x.gz", gz);

        assertProblem(file, () -> Idx.read(file), "corrupt gzip data");
    }

    @Test
    void rejectsDimensionsTooLargeForOneArrayBeforeAllocating() throws IOException {
        Path file = file("x", IdxBytes.file(0x0E, new int[] {1 << 20, 1 << 20}, new byte[0]));

        assertProblem(file, () -> Idx.read(file), "double (0x0E) with dimensions [1048576 x 1048576] is more than one array can hold");
    }

    @Test
    void rejectsDimensionsAboveIntRange() throws IOException {
        Path file = file("x", ByteBuffer.allocate(8).putInt(0x0801).putInt(-1).array());

        assertProblem(file, () -> Idx.read(file), "dimension 0 is 4294967295");
    }

    @Test
    void rejectsLabelCountDifferentFromImageCountNamingBothFiles() throws IOException {
        Path images = file("images", IdxBytes.file(0x08, new int[] {2, 1, 1}, new byte[2]));
        Path labels = file("labels", IdxBytes.file(0x08, new int[] {3}, new byte[3]));

        assertProblem(labels, () -> Idx.readLabeledImages(images, labels),
                "dimension mismatch: 3 labels, but " + images + " has 2 images");
    }

    @Test
    void rejectsImagesThatAreNotUnsignedByteRank3() throws IOException {
        Path images = file("images", IdxBytes.file(0x08, new int[] {2, 4}, new byte[8]));
        Path labels = file("labels", IdxBytes.file(0x08, new int[] {2}, new byte[2]));

        assertProblem(images, () -> Idx.readLabeledImages(images, labels),
                "expected images as unsigned bytes with dimensions [count x rows x cols], found unsigned byte (0x08) with dimensions [2 x 4]");
    }

    @Test
    void rejectsFloatLabels() throws IOException {
        Path images = file("images", IdxBytes.file(0x08, new int[] {1, 1, 1}, new byte[1]));
        Path labels = file("labels", IdxBytes.file(0x0D, new int[] {1}, new byte[4]));

        assertProblem(labels, () -> Idx.readLabeledImages(images, labels), "expected labels as integers", "float (0x0D)");
    }
}
