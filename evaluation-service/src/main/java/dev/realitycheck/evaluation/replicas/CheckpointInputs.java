package dev.realitycheck.evaluation.replicas;

import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.TopicCatchUp;
import dev.realitycheck.transport.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * A replica's own inputs for a block: reads the checkpoint named in the task from
 * {@link Topics#CHECKPOINTS} (from the beginning, with a consumer of its own and no group: the pods
 * share no storage), reassembles it (verifying its manifest when a verifier is given) and embeds the
 * task's split with it through {@link SavedModelScorer#embedSplit}, the embedding the single-process
 * path uses. Nothing the owner holds is needed; {@link BlockWorker} keeps the latest inputs, so the
 * blocks of one evaluation that a replica takes in a row read and embed once.
 */
public final class CheckpointInputs implements BlockInputs {

    private static final Logger LOG = Logger.getLogger(CheckpointInputs.class);

    /**
     * @param bootstrapServers   Kafka bootstrap servers
     * @param workDir            where the checkpoint is reassembled (a directory of its own is made and removed)
     * @param maxCheckpointBytes largest packed checkpoint accepted
     * @param readTimeout        longest time spent reading the checkpoints topic
     * @param verifier           checks the manifest's signature; null: not checked
     */
    public record Settings(String bootstrapServers, Path workDir, long maxCheckpointBytes, Duration readTimeout,
                           RecordSignatures.Verifier verifier) {

        /** Validates every value but the optional verifier, naming the bad one. */
        public Settings {
            BlockWorker.requireText("bootstrapServers", bootstrapServers);
            Objects.requireNonNull(workDir, "workDir");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (maxCheckpointBytes < 1 || readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("maxCheckpointBytes and readTimeout must be positive, were "
                        + maxCheckpointBytes + " and " + readTimeout);
            }
        }
    }

    private final Settings settings;
    private final SavedModelScorer scorer;

    /** @param scorer embeds a split as the single-process path does */
    public CheckpointInputs(Settings settings, SavedModelScorer scorer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
    }

    @Override
    public RetrievalTask inputs(String checkpointId, Split split) throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(settings.workDir());
        Path assembly = Files.createTempDirectory(settings.workDir(), "realitycheck-model-replica-");
        byte[] key = checkpointId.getBytes(StandardCharsets.UTF_8);
        AssembledCheckpoint[] found = {null};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(settings.bootstrapServers(), null, "evaluation-replica-inputs"));
             CheckpointAssembler assembler = new CheckpointAssembler(assembly, settings.maxCheckpointBytes(), 1,
                     settings.readTimeout(), BlockWorker.CONSUMER, Clock.systemUTC(), settings.verifier())) {
            List<TopicPartition> partitions = ConsumerLoop.assignAllFromBeginning(consumer, List.of(Topics.CHECKPOINTS));
            TopicCatchUp.readToEnd(consumer, partitions, settings.readTimeout(), Duration.ofMillis(200), r -> {
                if (found[0] != null || r.key() == null || !Arrays.equals(r.key(), key)) {
                    return;
                }
                for (AssembledCheckpoint done : assembler.accept(r).completed()) {
                    found[0] = done;
                }
            });
            if (found[0] == null) {
                throw new IOException("checkpoint " + checkpointId + " is not whole and verified on " + Topics.CHECKPOINTS);
            }
            RetrievalTask task = scorer.embedSplit(found[0].manifest(), found[0].packedModel(), split);
            LOG.infof("inputs of %s %s: %,d rows read and embedded in %.1f s", checkpointId, split,
                    task.queries().rows(), (System.nanoTime() - start) / 1e9);
            return task;
        } finally {
            if (found[0] != null) {
                found[0].close();
            }
            try {
                Files.deleteIfExists(assembly); // empty once the assembler and the checkpoint are closed
            } catch (IOException e) {
                LOG.debugf("%s left for the next start's clean-up: %s", assembly, e);
            }
        }
    }
}
