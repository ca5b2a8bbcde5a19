package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A 100 MB checkpoint through a real broker: chunks under 1 MiB, reassembled, digest verified. */
@ExtendWith(KafkaBrokerExtension.class)
class CheckpointTransportTest {

    @TempDir
    Path tmp;

    @Test
    void aHundredMegabyteModelCrossesTheBrokerIntact(LocalKafkaBroker broker) throws Exception {
        Path model = tmp.resolve("model.zip");
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(model)) {
            for (int i = 0; i < 100; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, List.of(Topics.CHECKPOINTS), 1, (short) 1);
        }
        CheckpointManifest published;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaSettings.producer(broker.bootstrapServers(), "test"))) {
            published = new CheckpointPublisher(producer).publish(
                    CheckpointManifest.newBuilder().setCheckpointId("big").setRunId("r").build(), model);
        }
        assertThat(published.getChunkCount()).isEqualTo(200);
        assertThat(published.getSha256()).isEqualTo(CheckpointPublisher.sha256(model));

        List<AssembledCheckpoint> done = new ArrayList<>();
        Path work = Files.createDirectories(tmp.resolve("work"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(broker.bootstrapServers(), "g", "test"));
             CheckpointAssembler assembler = new CheckpointAssembler(work, 1L << 31, 4, Duration.ofMinutes(5), "test",
                     Clock.systemUTC())) {
            TopicPartition tp = new TopicPartition(Topics.CHECKPOINTS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    CheckpointAssembler.Outcome o = assembler.accept(r.topic(), r.partition(), r.offset(), r.key(), r.value());
                    assertThat(o.rejected()).isEmpty();
                    done.addAll(o.completed());
                }
                return !done.isEmpty();
            });
        }
        try (AssembledCheckpoint c = done.get(0)) {
            assertThat(Files.size(c.packedModel())).isEqualTo(100L << 20);
            assertThat(CheckpointPublisher.sha256(c.packedModel())).isEqualTo(published.getSha256());
            assertThat(c.lastOffset() - c.firstOffset()).isEqualTo(200);
        }
    }
}
