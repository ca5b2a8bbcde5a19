package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.realitycheck.proto.v1.CheckpointChunk;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reassembly state machine fed record by record (the broker round trip is in CheckpointTransportIT). */
class CheckpointAssemblerTest {

    private static final String TOPIC = Topics.CHECKPOINTS;

    @TempDir
    Path dir;

    private MutableClock clock;
    private CheckpointAssembler assembler;
    private long offset;

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A packed model split into records the way CheckpointPublisher does it. */
    record Published(byte[] model, List<byte[]> records) {
    }

    static Published publish(String id, int size, int chunkSize, long seed) {
        byte[] model = new byte[size];
        new Random(seed).nextBytes(model);
        String sha = HexFormat.of().formatHex(Digests.sha256().digest(model));
        int chunks = Math.max(1, (size + chunkSize - 1) / chunkSize);
        List<byte[]> records = new ArrayList<>();
        records.add(CheckpointRecord.newBuilder().setManifest(CheckpointManifest.newBuilder()
                .setCheckpointId(id).setSizeBytes(size).setSha256(sha).setChunkCount(chunks)
                .setChunkSizeBytes(chunkSize)).build().toByteArray());
        for (int i = 0; i < chunks && size > 0; i++) {
            int from = i * chunkSize;
            records.add(CheckpointRecord.newBuilder().setChunk(CheckpointChunk.newBuilder().setCheckpointId(id)
                    .setIndex(i).setData(ByteString.copyFrom(model, from, Math.min(chunkSize, size - from))))
                    .build().toByteArray());
        }
        return new Published(model, records);
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock();
        assembler = new CheckpointAssembler(dir, 10_000_000, 4, Duration.ofMinutes(5), "test", clock);
    }

    @AfterEach
    void tearDown() {
        assembler.close();
    }

    private CheckpointAssembler.Outcome feed(String key, byte[] value) {
        return assembler.accept(TOPIC, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private List<CheckpointAssembler.Outcome> feedAll(String key, List<byte[]> values) {
        return values.stream().map(v -> feed(key, v)).toList();
    }

    private static List<AssembledCheckpoint> completed(List<CheckpointAssembler.Outcome> outcomes) {
        return outcomes.stream().flatMap(o -> o.completed().stream()).toList();
    }

    private static List<DeadLetter> rejected(List<CheckpointAssembler.Outcome> outcomes) {
        return outcomes.stream().flatMap(o -> o.rejected().stream()).toList();
    }

    @Test
    void aCompleteCheckpointComesOutVerifiedWithItsBytes() throws Exception {
        Published p = publish("ck-1", 2_500, 1_000, 1);

        List<CheckpointAssembler.Outcome> outcomes = feedAll("ck-1", p.records());

        assertThat(rejected(outcomes)).isEmpty();
        List<AssembledCheckpoint> done = completed(outcomes);
        assertThat(done).hasSize(1);
        try (AssembledCheckpoint c = done.get(0)) {
            assertThat(Files.readAllBytes(c.packedModel())).isEqualTo(p.model());
            assertThat(c.firstOffset()).isZero();
            assertThat(c.lastOffset()).isEqualTo(3);
        }
        assertThat(done.get(0).packedModel()).doesNotExist();
        assertThat(assembler.inProgress()).isZero();
    }

    @Test
    void interleavedCheckpointsBothAssembleAndCommitsNeverPassAnOpenManifest() {
        Published a = publish("a", 3_000, 1_000, 2);
        Published b = publish("b", 1_500, 1_000, 3);
        List<CheckpointAssembler.Outcome> outcomes = new ArrayList<>();
        outcomes.add(feed("a", a.records().get(0)));          // offset 0
        outcomes.add(feed("b", b.records().get(0)));          // 1
        outcomes.add(feed("a", a.records().get(1)));          // 2
        outcomes.addAll(feedAll("b", b.records().subList(1, 3))); // 3, 4: b complete

        assertThat(completed(outcomes)).extracting(c -> c.manifest().getCheckpointId()).containsExactly("b");
        assertThat(assembler.safeCommitOffset(0, offset)).as("a is still open at offset 0").isZero();

        outcomes.addAll(feedAll("a", a.records().subList(2, 4)));

        assertThat(completed(outcomes)).extracting(c -> c.manifest().getCheckpointId()).containsExactly("b", "a");
        assertThat(assembler.safeCommitOffset(0, offset)).isEqualTo(offset);
        completed(outcomes).forEach(AssembledCheckpoint::close);
    }

    @Test
    void aMissingChunkDropsTheCheckpointWithOneDeadLetter() throws Exception {
        Published p = publish("ck", 3_000, 1_000, 4);
        List<byte[]> gap = new ArrayList<>(p.records());
        gap.remove(2); // chunk 1

        List<CheckpointAssembler.Outcome> outcomes = feedAll("ck", gap);

        assertThat(completed(outcomes)).isEmpty();
        List<DeadLetter> letters = rejected(outcomes);
        assertThat(letters).first().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE);
            assertThat(d.getMessage()).contains("chunk 2", "chunk 1 was expected");
        });
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no partial file left behind").isEmpty();
        }
    }

    @Test
    void aCorruptedChunkFailsTheDigest() {
        Published p = publish("ck", 2_000, 1_000, 5);
        CheckpointRecord chunk1;
        try {
            chunk1 = CheckpointRecord.parseFrom(p.records().get(2));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        byte[] flipped = chunk1.getChunk().getData().toByteArray();
        flipped[10] ^= 1;
        List<byte[]> records = new ArrayList<>(p.records());
        records.set(2, chunk1.toBuilder().setChunk(chunk1.getChunk().toBuilder().setData(ByteString.copyFrom(flipped)))
                .build().toByteArray());

        List<CheckpointAssembler.Outcome> outcomes = feedAll("ck", records);

        assertThat(completed(outcomes)).isEmpty();
        assertThat(outcomes.stream().flatMap(o -> o.failed().stream())).extracting(m -> m.getCheckpointId())
                .containsExactly("ck");
        assertThat(rejected(outcomes)).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_CORRUPT);
            assertThat(d.getMessage()).contains("sha256");
        });
    }

    @Test
    void duplicatesAndOrphansAndGarbageAreDeadLettersNotCrashes() {
        Published p = publish("ck", 2_000, 1_000, 6);
        List<CheckpointAssembler.Outcome> outcomes = new ArrayList<>();
        outcomes.add(feed("zz", publish("zz", 10, 5, 7).records().get(1)));   // chunk without manifest
        outcomes.add(feed("x", new byte[] {(byte) 0xff, 0x01, 0x02}));         // not protobuf
        outcomes.add(feed("ck", p.records().get(0)));
        outcomes.add(feed("ck", p.records().get(0)));                          // duplicate manifest
        outcomes.add(feed("ck", p.records().get(1)));
        outcomes.add(feed("ck", p.records().get(1)));                          // duplicate chunk
        outcomes.add(feed("ck", p.records().get(2)));                          // completes

        assertThat(rejected(outcomes)).extracting(DeadLetter::getReason).containsExactly(
                DeadLetterReason.DEAD_LETTER_REASON_INVALID,
                DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE,
                DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE,
                DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE);
        assertThat(rejected(outcomes).get(1).getOriginalValue().toByteArray()).containsExactly(0xff, 0x01, 0x02);
        assertThat(completed(outcomes)).hasSize(1);
        completed(outcomes).forEach(AssembledCheckpoint::close);
    }

    @Test
    void aStalledCheckpointExpiresAsIncomplete() {
        Published p = publish("slow", 3_000, 1_000, 8);
        feedAll("slow", p.records().subList(0, 2));

        assertThat(assembler.expireStalled(TOPIC).rejected()).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        CheckpointAssembler.Outcome outcome = assembler.expireStalled(TOPIC);
        List<DeadLetter> expired = outcome.rejected();
        assertThat(outcome.failed()).extracting(m -> m.getCheckpointId()).containsExactly("slow");

        assertThat(expired).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE);
            assertThat(d.getMessage()).contains("1 of 3 chunks");
        });
        assertThat(assembler.inProgress()).isZero();
    }

    @Test
    void aManifestLyingAboutItsSizeIsRejectedUpFront() {
        byte[] manifest = CheckpointRecord.newBuilder().setManifest(CheckpointManifest.newBuilder()
                .setCheckpointId("huge").setSizeBytes(1L << 40).setChunkSizeBytes(1000).setChunkCount(5)
                .setSha256("0".repeat(64))).build().toByteArray();

        CheckpointAssembler.Outcome outcome = feed("huge", manifest);

        assertThat(outcome.rejected()).singleElement().satisfies(d -> assertThat(d.getMessage()).contains("size_bytes"));
        assertThat(assembler.inProgress()).isZero();
    }
}
