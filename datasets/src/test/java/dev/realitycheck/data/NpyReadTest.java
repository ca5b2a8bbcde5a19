package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyReadTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] header, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), NpyBytes.file(header, data));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8", "<f2", ">f2"})
    void readsCOrderFloatMatrixRowMajor(String descr) throws IOException {
        // all exactly representable in half precision, so every type must return them exactly
        double[] values = {1.5, -2.25, 0.0, 3.0, 0.125, -65504.0};
        Path file = file("m.npy", NpyBytes.header(descr, false, 3, 2), NpyBytes.data(descr, values));

        NpyArray array = Npy.read(file);

        assertThat(array.dtype().descr()).isEqualTo(descr);
        assertThat(array.shape()).containsExactly(3, 2);
        assertThat(array.rows()).isEqualTo(3);
        assertThat(array.cols()).isEqualTo(2);
        assertThat(array.asFloatMatrix()).containsExactly(1.5f, -2.25f, 0f, 3f, 0.125f, -65504f);
    }

    @Test
    void convertsFloat64ToNearestFloat32() throws IOException {
        double precise = 0.1;
        Path file = file("m.npy", NpyBytes.header("<f8", false, 1, 1), NpyBytes.data("<f8", precise));

        assertThat(Npy.read(file).asFloatMatrix()).containsExactly((float) precise);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<f4", ">f4", "<f8", ">f8"})
    void readsFortranOrderMatrixAsRowMajor(String descr) throws IOException {
        // the 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column
        Path file = file("f.npy", NpyBytes.header(descr, true, 2, 3), NpyBytes.data(descr, 1, 4, 2, 5, 3, 6));

        NpyArray array = Npy.read(file);

        assertThat(array.shape()).containsExactly(2, 3);
        assertThat(array.asFloatMatrix()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void readsLargeFortranOrderMatrixAcrossTransposeTiles() throws IOException {
        int rows = 131;
        int cols = 70;
        double[] columnMajor = new double[rows * cols];
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                columnMajor[j * rows + i] = i * 1000 + j;
            }
        }
        Path file = file("f.npy", NpyBytes.header(">f4", true, rows, cols), NpyBytes.data(">f4", columnMajor));

        float[] rowMajor = Npy.read(file).asFloatMatrix();

        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertThat(rowMajor[i * cols + j]).isEqualTo(i * 1000f + j);
            }
        }
    }

    @Test
    void readsFortranOrderIntegerMatrixAsRowMajorBytes() throws IOException {
        Path file = file("f.npy", NpyBytes.header("<i2", true, 2, 2), NpyBytes.integers("<i2", 1, 3, 2, 4));

        NpyArray array = Npy.read(file);

        assertThat(array.data().asShortBuffer().get(1)).isEqualTo((short) 2);
        assertThat(array.data().asShortBuffer().get(2)).isEqualTo((short) 3);
    }

    @Test
    void treatsOneDimensionalFortranOrderLikeCOrder() throws IOException {
        Path file = file("l.npy", NpyBytes.header("<i8", true, 3), NpyBytes.integers("<i8", 7, 8, 9));

        assertThat(Npy.read(file).asLabels()).containsExactly(7, 8, 9);
    }

    static Stream<Arguments> integerTypes() {
        return Stream.of(
                Arguments.of("|i1", Byte.MIN_VALUE, Byte.MAX_VALUE),
                Arguments.of("|u1", 0L, 255L),
                Arguments.of("<i2", Short.MIN_VALUE, Short.MAX_VALUE),
                Arguments.of(">i2", Short.MIN_VALUE, Short.MAX_VALUE),
                Arguments.of("<u2", 0L, 65535L),
                Arguments.of(">u2", 0L, 65535L),
                Arguments.of("<i4", Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arguments.of(">i4", Integer.MIN_VALUE, Integer.MAX_VALUE),
                Arguments.of("<u4", 0L, 4294967295L),
                Arguments.of(">u4", 0L, 4294967295L),
                Arguments.of("<i8", Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of(">i8", Long.MIN_VALUE, Long.MAX_VALUE),
                Arguments.of("<u8", 0L, Long.MAX_VALUE),
                Arguments.of(">u8", 0L, Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integerTypes")
    void readsIntegerLabelsOfEveryWidthSignednessAndByteOrder(String descr, long min, long max) throws IOException {
        Path file = file("labels.npy", NpyBytes.header(descr, false, 5), NpyBytes.integers(descr, min, 0, 1, 9, max));

        NpyArray array = Npy.read(file);

        assertThat(array.rank()).isEqualTo(1);
        assertThat(array.asLongLabels()).containsExactly(min, 0, 1, 9, max);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"|i1", "|u1", "<i2", ">u2", "<i4", ">i4", "<u4", "<i8", ">u8"})
    void readsSmallLabelsAsIntsFromAnyIntegerType(String descr) throws IOException {
        Path file = file("labels.npy", NpyBytes.header(descr, false, 4), NpyBytes.integers(descr, 3, 0, 9, 3));

        assertThat(Npy.readLabels(file)).containsExactly(3, 0, 9, 3);
    }

    @Test
    void acceptsLittleEndianSpellingOfOneByteTypes() throws IOException {
        Path file = file("labels.npy", NpyBytes.header("<u1", false, 2), new byte[] {(byte) 200, 1});

        assertThat(Npy.readLabels(file)).containsExactly(200, 1);
    }

    @ParameterizedTest(name = "version {0}.0")
    @ValueSource(ints = {1, 2, 3})
    void readsFormatVersions1To3(int major) throws IOException {
        byte[] header = NpyBytes.header(major, NpyBytes.dict("<f4", false, 1, 2));
        Path file = file("v.npy", header, NpyBytes.data("<f4", 0.5, 2));

        assertThat(Npy.read(file).asFloatMatrix()).containsExactly(0.5f, 2f);
    }

    @Test
    void readsHeaderWithReorderedKeysDoubleQuotesAndPython2Longs() throws IOException {
        String dict = "{\"shape\": (2L, 1L), 'fortran_order':False,'descr':\"<i4\"}";
        Path file = file("py2.npy", NpyBytes.header(1, dict), NpyBytes.integers("<i4", 5, 6));

        NpyArray array = Npy.read(file);

        assertThat(array.shape()).containsExactly(2, 1);
        assertThat(array.dtype()).isEqualTo(NpyDtype.INT32);
    }

    @Test
    void readsEmptyArrays() throws IOException {
        Path labels = file("l.npy", NpyBytes.header("<i8", false, 0), new byte[0]);
        Path matrix = file("m.npy", NpyBytes.header("<f4", false, 0, 512), new byte[0]);

        assertThat(Npy.readLabels(labels)).isEmpty();
        NpyArray m = Npy.read(matrix);
        assertThat(m.rows()).isZero();
        assertThat(m.cols()).isEqualTo(512);
        assertThat(m.asFloatMatrix()).isEmpty();
    }

    @Test
    void readsOnlyTheHeaderOfArraysOfAnyRank() throws IOException {
        Path file = file("cube.npy", NpyBytes.header("<f4", false, 2, 3, 4), new byte[2 * 3 * 4 * 4]);

        NpyHeader header = Npy.readHeader(file);

        assertThat(header.shape()).containsExactly(2, 3, 4);
        assertThat(header.dtype()).isEqualTo(NpyDtype.FLOAT32);
        assertThat(header.fortranOrder()).isFalse();
        assertThat(header.dataBytes()).isEqualTo(96);
    }
}
