package dev.realitycheck.model;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing a SavedModel into one deterministic zip and unpacking it safely. */
class SavedModelArchiveTest {

    private static final MlpArchitecture MLP = EmbeddingNetworks.mlp(784, 32, 64);

    @TempDir
    Path dir;

    private static byte[] pack(Path model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PackedModel packed = SavedModelArchive.pack(model, out);
        assertThat(packed.byteSize()).isEqualTo(out.size());
        assertThat(packed.sha256()).isEqualTo(Sha256.of(out.toByteArray()));
        return out.toByteArray();
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(new byte[] {42});
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** Two entries named {@code dup1}, which ZipOutputStream itself refuses to write. */
    private static byte[] duplicated() throws IOException {
        String text = new String(zip("dup1", "dup2"), ISO_8859_1);
        return text.replace("dup2", "dup1").getBytes(ISO_8859_1);
    }

    private UnpackedModel unpack(byte[] archive, ArchiveLimits limits) throws IOException {
        return SavedModelArchive.unpack(new ByteArrayInputStream(archive), Path.of("checkpoint-1"), dir, limits);
    }

    @Test
    void packUnpackLoadGivesIdenticalEmbeddings() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 5, dir.resolve("m"));
        float[] inputs = ModelFixtures.gaussian(41, 10, 784);
        float[] before;
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"))) {
            before = embedder.embed(inputs, 10);
        }
        PackedModel packed = SavedModelArchive.pack(dir.resolve("m"), dir.resolve("m.zip"));
        assertThat(packed.sha256()).isEqualTo(Sha256.of(dir.resolve("m.zip")));
        assertThat(packed.byteSize()).isEqualTo(Files.size(dir.resolve("m.zip")));

        Path unpackedDir;
        try (UnpackedModel unpacked = SavedModelArchive.unpack(dir.resolve("m.zip"));
             SavedModelEmbedder embedder = SavedModelEmbedder.load(unpacked.directory())) {
            unpackedDir = unpacked.directory();
            assertThat(embedder.embed(inputs, 10)).containsExactly(before);
        }
        assertThat(unpackedDir).doesNotExist();
    }

    @Test
    void packingIsDeterministicAndSoIsExportingTheSameWeights() throws IOException {
        EmbeddingNetworks.exportUntrained(MLP, 6, dir.resolve("a"));
        EmbeddingNetworks.exportUntrained(MLP, 6, dir.resolve("b"));
        EmbeddingNetworks.exportUntrained(MLP, 7, dir.resolve("c"));

        byte[] first = pack(dir.resolve("a"));

        assertThat(pack(dir.resolve("a"))).isEqualTo(first);
        assertThat(pack(dir.resolve("b"))).isEqualTo(first);
        assertThat(Sha256.of(pack(dir.resolve("c")))).isNotEqualTo(Sha256.of(first));
    }

    @Test
    void rejectsAnEntryEscapingTheTargetDirectoryAndLeavesNothingBehind() throws IOException {
        byte[] evil = zip("saved_model.pb", "../evil");

        assertThatThrownBy(() -> unpack(evil, ArchiveLimits.DEFAULT))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("checkpoint-1: entry '../evil' escapes the target directory");
        assertThat(dir).isEmptyDirectory();
        assertThat(dir.resolveSibling("evil")).doesNotExist();
    }

    @Test
    void rejectsAbsoluteHiddenTraversalAndDuplicateEntries() {
        assertThatThrownBy(() -> unpack(zip("/etc/evil"), ArchiveLimits.DEFAULT))
                .hasMessage("checkpoint-1: entry '/etc/evil' is an absolute path");
        assertThatThrownBy(() -> unpack(zip("C:/evil"), ArchiveLimits.DEFAULT))
                .hasMessage("checkpoint-1: entry 'C:/evil' is an absolute path");
        assertThatThrownBy(() -> unpack(zip("variables/../../evil"), ArchiveLimits.DEFAULT))
                .hasMessage("checkpoint-1: entry 'variables/../../evil' escapes the target directory");
        assertThatThrownBy(() -> unpack(zip("a\\..\\evil"), ArchiveLimits.DEFAULT))
                .hasMessageContaining("holds a backslash");
        assertThatThrownBy(() -> unpack(zip("a//b"), ArchiveLimits.DEFAULT))
                .hasMessageContaining("not a normalised relative path");
        assertThatThrownBy(() -> unpack(duplicated(), ArchiveLimits.DEFAULT))
                .hasMessage("checkpoint-1: duplicate entry 'dup1'");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void rejectsAZipBombByItsCompressionRatioWhileStreamingAndLeavesNothingBehind() throws IOException {
        byte[] bomb = ZipBombs.zeros(512L << 20); // 512 MiB of zeros in about 0.5 MB (the issue's: 6 MB to 3.1 GB)
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThatThrownBy(() -> unpack(bomb, ArchiveLimits.DEFAULT))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("checkpoint-1: expands more than 100 times (");
        assertThat(dir).isEmptyDirectory();

        // the total-size bound alone, with no ratio bound, stops it too
        assertThatThrownBy(() -> unpack(bomb, new ArchiveLimits(10, 8L << 20, Integer.MAX_VALUE)))
                .hasMessage("checkpoint-1: unpacks to more than 8388608 bytes");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFileArchiveUnpacksNextToItselfNeverIntoTheSharedTempDirectory() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.write(work.resolve("ck.zip"), zip("saved_model.pb", "variables/variables.index"));
        try (UnpackedModel unpacked = SavedModelArchive.unpack(work.resolve("ck.zip"))) {
            assertThat(unpacked.directory().getParent()).isEqualTo(work);
            assertThat(unpacked.directory().resolve("variables/variables.index")).hasBinaryContent(new byte[] {42});
        }
        assertThat(work).isDirectoryContaining(p -> p.getFileName().toString().equals("ck.zip"));
        try (var left = Files.list(work)) {
            assertThat(left).hasSize(1);
        }
    }

    @Test
    void rejectsTooManyEntriesTooManyBytesAndNonZips() {
        assertThatThrownBy(() -> unpack(zip("a", "b", "c"), new ArchiveLimits(2, 1000, 100)))
                .hasMessage("checkpoint-1: more than 2 entries");
        assertThatThrownBy(() -> unpack(zip("a", "b", "c"), new ArchiveLimits(10, 2, 100)))
                .hasMessage("checkpoint-1: unpacks to more than 2 bytes");
        assertThatThrownBy(() -> unpack("not a zip at all".getBytes(), ArchiveLimits.DEFAULT))
                .hasMessage("checkpoint-1: no zip entries (empty, or not a zip archive)");
        assertThatThrownBy(() -> new ArchiveLimits(0, 1, 1)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> new ArchiveLimits(1, 1, 0)).hasMessageContaining("at least 1, was 0");
        assertThatThrownBy(() -> new PackedModel("ABC", 1)).hasMessageContaining("'ABC'");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void refusesToPackAnEmptyDirectoryOrALink() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path linked = Files.createDirectory(dir.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("saved_model.pb"), dir.resolve("elsewhere"));

        assertThatThrownBy(() -> SavedModelArchive.pack(empty, new ByteArrayOutputStream()))
                .hasMessage(empty + ": cannot pack: no files");
        assertThatThrownBy(() -> SavedModelArchive.pack(linked, new ByteArrayOutputStream()))
                .hasMessageContaining("not a regular file");
    }
}
