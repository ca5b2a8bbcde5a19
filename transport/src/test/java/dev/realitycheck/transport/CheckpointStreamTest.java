package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint stream fed consumed records (a {@link MockProducer} stands in for the dead-letter
 * topic): verified checkpoints reach the sink and are deleted after it, malformed, corrupt and
 * stalled ones are parked and told to the sink, an unusable one is parked by {@link CheckpointStream#reject},
 * and commits never pass a checkpoint still in progress.
 */
class CheckpointStreamTest {

    private static final String TOPIC = Topics.CHECKPOINTS;

    @TempDir
    Path dir;

    private final CheckpointAssemblerTest.MutableClock clock = new CheckpointAssemblerTest.MutableClock();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final List<byte[]> models = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final List<DeadLetter> told = new ArrayList<>();
    private CheckpointStream stream;
    private long offset;

    /** Records what the stream hands over; the model bytes are read while the file still exists. */
    private final CheckpointStream.Sink sink = new CheckpointStream.Sink() {
        @Override
        public void completed(AssembledCheckpoint checkpoint) throws Exception {
            models.add(Files.readAllBytes(checkpoint.packedModel()));
            files.add(checkpoint.packedModel());
        }

        @Override
        public void failed(CheckpointManifest manifest) {
            failed.add(manifest.getCheckpointId());
        }

        @Override
        public void deadLettered(DeadLetter letter) {
            told.add(letter);
        }
    };

    @BeforeEach
    void open() throws Exception {
        stream = open(sink);
    }

    private CheckpointStream open(CheckpointStream.Sink s) throws Exception {
        return CheckpointStream.open(new CheckpointStream.Settings(TOPIC, dir.resolve("work"), 1_000_000,
                Duration.ofMinutes(5), "test-service"), new DeadLetterPublisher(producer), s, clock);
    }

    @AfterEach
    void close() {
        stream.close();
    }

    private void feed(String key, byte[] value) throws Exception {
        stream.accept(new ConsumerRecord<>(TOPIC, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private void feedAll(String key, List<byte[]> values) throws Exception {
        for (byte[] v : values) {
            feed(key, v);
        }
    }

    private List<DeadLetter> parked() {
        return producer.history().stream().map(ProducerRecord::value).map(v -> {
            try {
                return DeadLetter.parseFrom(v);
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void aVerifiedCheckpointReachesTheSinkAndIsDeletedAfterIt() throws Exception {
        CheckpointAssemblerTest.Published p = CheckpointAssemblerTest.publish("ck-1", 2_500, 1_000, 1);

        feedAll("ck-1", p.records());

        assertThat(models).singleElement().isEqualTo(p.model());
        assertThat(files.getFirst()).doesNotExist();
        assertThat(producer.history()).isEmpty();
        assertThat(stream.safeCommitOffset(0, offset)).isEqualTo(offset);
    }

    @Test
    void garbageIsParkedAndToldWhileTheNextCheckpointStillArrives() throws Exception {
        feed("garbage", new byte[] {(byte) 0xff, 0x01, 0x02});
        CheckpointAssemblerTest.Published p = CheckpointAssemblerTest.publish("ck-2", 1_500, 1_000, 2);
        feedAll("ck-2", p.records());

        assertThat(parked()).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE);
            assertThat(d.getKey().toStringUtf8()).isEqualTo("garbage");
            assertThat(d.getOffset()).isZero();
            assertThat(d.getConsumer()).isEqualTo("test-service");
        });
        assertThat(producer.history().getFirst().topic()).isEqualTo(Topics.DEAD_LETTERS);
        assertThat(told).isEqualTo(parked());
        assertThat(models).singleElement().isEqualTo(p.model());
    }

    @Test
    void aCorruptCheckpointIsParkedAndToldAsFailed() throws Exception {
        CheckpointAssemblerTest.Published p = CheckpointAssemblerTest.publish("ck-bad", 1_000, 1_000, 3);
        byte[] manifest = dev.realitycheck.proto.v1.CheckpointRecord.parseFrom(p.records().get(0)).toBuilder()
                .setManifest(dev.realitycheck.proto.v1.CheckpointRecord.parseFrom(p.records().get(0)).getManifest()
                        .toBuilder().setSha256("0".repeat(64)))
                .build().toByteArray();

        feedAll("ck-bad", List.of(manifest, p.records().get(1)));

        assertThat(models).isEmpty();
        assertThat(failed).containsExactly("ck-bad");
        assertThat(parked()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.DEAD_LETTER_REASON_CORRUPT);
    }

    @Test
    void aStalledCheckpointIsParkedOnceItsTimeoutPassesAndCommitsNeverPassItBefore() throws Exception {
        CheckpointAssemblerTest.Published p = CheckpointAssemblerTest.publish("ck-slow", 3_000, 1_000, 4);
        feed("x", new byte[0]); // offset 0: an empty record, parked (no manifest, no chunk)
        feedAll("ck-slow", p.records().subList(0, 2)); // manifest at offset 1, first chunk

        stream.expireStalled();
        assertThat(failed).isEmpty();
        assertThat(stream.safeCommitOffset(0, offset)).as("the open manifest's offset").isEqualTo(1);

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        stream.expireStalled();

        assertThat(failed).containsExactly("ck-slow");
        assertThat(parked()).extracting(DeadLetter::getReason).containsExactly(
                DeadLetterReason.DEAD_LETTER_REASON_INVALID, DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE);
        assertThat(stream.safeCommitOffset(0, offset)).isEqualTo(offset);
    }

    @Test
    void anUnusableCheckpointIsRejectedAsProcessingFailedKeyedByItsId() throws Exception {
        List<String> rejected = new ArrayList<>();
        CheckpointStream[] self = new CheckpointStream[1];
        self[0] = open(checkpoint -> {
            self[0].reject(checkpoint, "checkpoint " + checkpoint.manifest().getCheckpointId() + " cannot be loaded");
            rejected.add(checkpoint.manifest().getCheckpointId());
        });
        try (CheckpointStream rejecting = self[0]) {
            offset = 7;
            for (byte[] r : CheckpointAssemblerTest.publish("ck-x", 500, 1_000, 5).records()) {
                rejecting.accept(new ConsumerRecord<>(TOPIC, 2, offset++, "ck-x".getBytes(StandardCharsets.UTF_8), r));
            }
        }

        assertThat(rejected).containsExactly("ck-x");
        assertThat(parked()).singleElement().satisfies(d -> {
            assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED);
            assertThat(d.getKey().toStringUtf8()).isEqualTo("ck-x");
            assertThat(d.getPartition()).isEqualTo(2);
            assertThat(d.getOffset()).as("the manifest's offset").isEqualTo(7);
            assertThat(d.getMessage()).isEqualTo("checkpoint ck-x cannot be loaded");
        });
    }

    @Test
    void aFailingSinkPropagatesAndLeavesNoFileBehind() throws Exception {
        try (CheckpointStream failing = open(checkpoint -> {
            throw new java.util.concurrent.TimeoutException("simulated: results not acknowledged");
        })) {
            List<byte[]> records = CheckpointAssemblerTest.publish("ck-f", 800, 1_000, 6).records();
            failing.accept(new ConsumerRecord<>(TOPIC, 0, 0, "ck-f".getBytes(StandardCharsets.UTF_8), records.get(0)));

            assertThatThrownBy(() -> failing.accept(new ConsumerRecord<>(TOPIC, 0, 1,
                    "ck-f".getBytes(StandardCharsets.UTF_8), records.get(1))))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
        }
        try (Stream<Path> left = Files.list(dir.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void settingsNameTheBadValue() {
        assertThatThrownBy(() -> new CheckpointStream.Settings(TOPIC, dir, 0, Duration.ofMinutes(1), "svc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> new CheckpointStream.Settings(TOPIC, dir, 1, Duration.ZERO, "svc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
