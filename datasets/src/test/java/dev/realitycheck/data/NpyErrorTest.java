package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a {@code .npy} file can be wrong yields a message naming the file and the problem. */
class NpyErrorTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path file(String name, byte[] header, byte[] data) throws IOException {
        return file(name, NpyBytes.file(header, data));
    }

    private static void assertProblem(Path file, ThrowingCallable read, String... fragments) {
        assertThatThrownBy(read)
                .isInstanceOf(NpyFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(((NpyFormatException) e).file()).isEqualTo(file));
    }

    @Test
    void rejectsBadMagicShowingTheBytesFound() throws IOException {
        Path file = file("text.npy", "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));

        assertProblem(file, () -> Npy.read(file), "bad magic", "expected b'\\x93NUMPY'", "found b'hello wo'");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path file = file("empty.npy", new byte[0]);

        assertProblem(file, () -> Npy.read(file), "empty file");
    }

    @Test
    void rejectsPythonPickles() throws IOException {
        Path file = file("obj.npy", new byte[] {(byte) 0x80, 4, (byte) 0x95, 0, 0, 0, 0, 0});

        assertProblem(file, () -> Npy.read(file), "bad magic", "Python pickle", "not supported");
    }

    @Test
    void rejectsNpzArchivesWithAHint() throws IOException {
        Path file = file("arrays.npz", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0});

        assertProblem(file, () -> Npy.read(file), "zip archive (.npz?)");
    }

    @Test
    void rejectsUnknownFormatVersion() throws IOException {
        byte[] header = NpyBytes.header("<f4", false, 1, 1);
        header[6] = 4;

        Path file = file("v4.npy", header, new byte[4]);

        assertProblem(file, () -> Npy.read(file), "unsupported .npy format version 4.0", "1.0, 2.0, 3.0");
    }

    @Test
    void rejectsFileEndingInsideTheHeaderLength() throws IOException {
        byte[] header = NpyBytes.header("<f4", false, 1, 1);
        Path file = file("short.npy", Arrays.copyOf(header, 9));

        assertProblem(file, () -> Npy.read(file), "truncated header", "expected 2 bytes of header length, found 1");
    }

    @Test
    void rejectsFileEndingInsideTheHeaderDict() throws IOException {
        byte[] header = NpyBytes.header("<f4", false, 1, 1);
        Path file = file("short.npy", Arrays.copyOf(header, 40));

        assertProblem(file, () -> Npy.read(file), "truncated header", "expected 118 bytes of header dict, found 30");
    }

    @Test
    void rejectsMalformedHeaderDict() throws IOException {
        Path file = file("bad.npy", NpyBytes.header(1, "{'descr': '<f4', 'fortran_order' False, 'shape': (1,), }"), new byte[4]);

        assertProblem(file, () -> Npy.read(file), "malformed header dict", "expected ':'");
    }

    @Test
    void rejectsHeaderWithMissingOrUnexpectedKeys() throws IOException {
        Path file = file("keys.npy", NpyBytes.header(1, "{'descr': '<f4', 'shape': (1,), 'extra': 1}"), new byte[4]);

        assertProblem(file, () -> Npy.read(file), "missing 'fortran_order'", "unexpected 'extra'");
    }

    @Test
    void rejectsShapeThatIsNotATuple() throws IOException {
        Path file = file("shape.npy", NpyBytes.header(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4), }"),
                new byte[16]);

        assertProblem(file, () -> Npy.read(file), "'shape' must be a tuple", "found 4");
    }

    @Test
    void rejectsComplexDtype() throws IOException {
        Path file = file("complex.npy", NpyBytes.header("<c8", false, 2), new byte[16]);

        assertProblem(file, () -> Npy.read(file), "unsupported dtype '<c8'", "complex");
    }

    @Test
    void rejectsObjectArrays() throws IOException {
        Path file = file("objects.npy", NpyBytes.header("|O", false, 2), new byte[16]);

        assertProblem(file, () -> Npy.read(file), "unsupported dtype '|O'", "object array", "pickle");
    }

    @Test
    void rejectsStructuredArrays() throws IOException {
        String dict = "{'descr': [('x', '<f4'), ('y', '<i4')], 'fortran_order': False, 'shape': (2,), }";
        Path file = file("records.npy", NpyBytes.header(1, dict), new byte[16]);

        assertProblem(file, () -> Npy.read(file), "structured arrays", "2 fields");
    }

    @Test
    void rejectsBooleanAndStringDtypes() throws IOException {
        Path bools = file("bools.npy", NpyBytes.header("|b1", false, 2), new byte[2]);
        Path strings = file("strings.npy", NpyBytes.header("<U3", false, 2), new byte[24]);

        assertProblem(bools, () -> Npy.read(bools), "unsupported dtype '|b1'", "booleans");
        assertProblem(strings, () -> Npy.read(strings), "unsupported dtype '<U3'", "unicode strings");
    }

    @Test
    void rejectsArraysOfRankThree() throws IOException {
        Path file = file("cube.npy", NpyBytes.header("<f4", false, 2, 3, 4), new byte[96]);

        assertProblem(file, () -> Npy.read(file), "unsupported rank 3", "(2, 3, 4)", "only 1-D and 2-D");
    }

    @Test
    void rejectsScalars() throws IOException {
        Path file = file("scalar.npy", NpyBytes.header(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }"),
                new byte[8]);

        assertProblem(file, () -> Npy.read(file), "unsupported rank 0", "shape ()");
    }

    @Test
    void rejectsTruncatedDataSayingHowManyBytesWereExpectedAndFound() throws IOException {
        Path file = file("cut.npy", NpyBytes.header("<f4", false, 3, 2), new byte[20]);

        assertProblem(file, () -> Npy.read(file), "truncated data: expected 24 bytes, found 20", "(3, 2)", "'<f4'");
    }

    @Test
    void rejectsTrailingDataAfterTheArray() throws IOException {
        Path file = file("long.npy", NpyBytes.header("<i8", false, 2), new byte[17]);

        assertProblem(file, () -> Npy.read(file), "trailing data: expected 16 bytes, found 17");
    }

    @Test
    void rejectsShapesTooLargeForOneArrayBeforeAllocating() throws IOException {
        Path file = file("huge.npy", NpyBytes.header("<f8", false, 100_000, 100_000), new byte[8]);

        assertProblem(file, () -> Npy.read(file), "unsupported shape (100000, 100000)", "80000000000 bytes");
    }

    @Test
    void rejectsFloatLabels() throws IOException {
        Path file = file("labels.npy", NpyBytes.header("<f4", false, 2), NpyBytes.data("<f4", 1, 2));

        assertProblem(file, () -> Npy.readLabels(file), "labels need an integer dtype", "'<f4'");
    }

    @Test
    void rejectsTwoDimensionalLabels() throws IOException {
        Path file = file("labels.npy", NpyBytes.header("<i8", false, 2, 1), NpyBytes.integers("<i8", 1, 2));

        assertProblem(file, () -> Npy.readLabels(file), "labels need a 1-D array", "shape (2, 1)");
    }

    @Test
    void rejectsLabelsThatDoNotFitInAnInt() throws IOException {
        Path file = file("labels.npy", NpyBytes.header("<i8", false, 3), NpyBytes.integers("<i8", 0, 3_000_000_000L, 1));

        assertProblem(file, () -> Npy.readLabels(file), "label 3000000000 at index 1", "does not fit in an int");
    }

    @Test
    void rejectsUnsignedLabelsThatDoNotFitInALong() throws IOException {
        Path file = file("labels.npy", NpyBytes.header("<u8", false, 1), NpyBytes.integers("<u8", -1));

        assertProblem(file, () -> Npy.readLongLabels(file), "label 18446744073709551615 at index 0");
    }

    @Test
    void rejectsIntegerArrayWhereEmbeddingsAreExpected() throws IOException {
        Path file = file("emb.npy", NpyBytes.header("<i8", false, 2, 2), NpyBytes.integers("<i8", 1, 2, 3, 4));

        assertProblem(file, () -> Npy.readFloatMatrix(file), "expected a 2-D float array", "'<i8'");
    }

    @Test
    void rejectsOneDimensionalArrayWhereEmbeddingsAreExpected() throws IOException {
        Path file = file("emb.npy", NpyBytes.header("<f4", false, 4), NpyBytes.data("<f4", 1, 2, 3, 4));

        assertProblem(file, () -> Npy.readFloatMatrix(file), "expected a 2-D float array", "shape (4,)");
    }

    @Test
    void reportsAMissingFileAsNoSuchFile() {
        Path missing = dir.resolve("missing.npy");

        assertThatThrownBy(() -> Npy.read(missing)).isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing.npy");
    }
}
