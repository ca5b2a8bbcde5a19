package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriteTest {

    @TempDir
    Path dir;

    @Test
    void writesFloatMatrixHeaderByteForByteAsNumpySaveDoes() throws IOException {
        Path file = dir.resolve("m.npy");

        Npy.writeFloatMatrix(file, 3, 2, new float[6]);

        // numpy.save(f, numpy.zeros((3, 2), numpy.float32)), numpy 2.4
        String expectedHeader = "\u0093NUMPY\u0001\u0000v\u0000"
                + "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }" + " ".repeat(58) + "\n";
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).hasSize(128 + 24);
        assertThat(new String(bytes, 0, 128, StandardCharsets.ISO_8859_1)).isEqualTo(expectedHeader);
        assertThat(Arrays.copyOf(bytes, 128)).isEqualTo(NpyBytes.header("<f4", false, 3, 2));
    }

    @Test
    void writesLabelHeadersByteForByteAsNumpySaveDoes() throws IOException {
        Path longs = dir.resolve("l8.npy");
        Path ints = dir.resolve("l4.npy");

        Npy.writeLabels(longs, new long[] {1, 2, 3, 4, 5});
        Npy.writeLabels(ints, new int[] {1, 2, 3, 4, 5});

        assertThat(Files.readAllBytes(longs)).isEqualTo(NpyBytes.file(NpyBytes.header("<i8", false, 5),
                NpyBytes.integers("<i8", 1, 2, 3, 4, 5)));
        assertThat(Files.readAllBytes(ints)).isEqualTo(NpyBytes.file(NpyBytes.header("<i4", false, 5),
                NpyBytes.integers("<i4", 1, 2, 3, 4, 5)));
    }

    @Test
    void alignsDataTo64BytesWithHeaderEndingInNewline() throws IOException {
        for (int rows : new int[] {0, 7, 123_456_789}) {
            byte[] header = new NpyHeader(NpyDtype.FLOAT32, false, new long[] {rows, 3}).toBytes();

            assertThat(header.length % 64).as("rows %d", rows).isZero();
            assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
        }
    }

    @Test
    void roundTripsFloatMatrixExactly() throws IOException {
        Path file = dir.resolve("emb.npy");
        float[] values = {1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY};

        Npy.writeFloatMatrix(file, 2, 3, values);
        NpyArray read = Npy.readFloatMatrix(file);

        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.cols()).isEqualTo(3);
        assertThat(read.asFloatMatrix()).usingElementComparator(Float::compare).containsExactly(values);
    }

    @Test
    void roundTripsIntAndLongLabels() throws IOException {
        Path ints = dir.resolve("i.npy");
        Path longs = dir.resolve("l.npy");

        Npy.writeLabels(ints, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE});
        Npy.writeLabels(longs, new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE});

        assertThat(Npy.readLabels(ints)).containsExactly(Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
        assertThat(Npy.readLongLabels(longs)).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
    }

    @Test
    void roundTripsArraysBuiltInMemory() throws IOException {
        Path file = dir.resolve("a.npy");
        NpyArray array = NpyArray.ofFloatMatrix(2, 2, new float[] {1, 2, 3, 4});

        Npy.write(file, array);

        assertThat(Npy.read(file)).isEqualTo(array);
    }

    @Test
    void replacesAnExistingLongerFile() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.writeFloatMatrix(file, 100, 100, new float[10_000]);

        Npy.writeLabels(file, new int[] {4});

        assertThat(Npy.readLabels(file)).containsExactly(4);
    }

    @Test
    void rejectsMatrixWhoseLengthIsNotRowsTimesCols() {
        assertThatThrownBy(() -> Npy.writeFloatMatrix(dir.resolve("x.npy"), 3, 2, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 x 2 matrix needs 6 values, got 5");
    }

    @Test
    void roundTripsEmbeddingsOfStanfordOnlineProductsTestSize() throws IOException {
        int rows = 60_502;
        int cols = 512;
        float[] values = new float[rows * cols];
        Random random = new Random(42);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path file = dir.resolve("sop.npy");

        Npy.writeFloatMatrix(file, rows, cols, values);
        assertThat(Files.size(file)).isEqualTo(128L + 4L * rows * cols);
        NpyArray read = Npy.readFloatMatrix(file);

        assertThat(read.rows()).isEqualTo(rows);
        assertThat(read.cols()).isEqualTo(cols);
        assertThat(Arrays.equals(read.asFloatMatrix(), values)).isTrue();
    }
}
