package dev.realitycheck.trainer.training;

import dev.realitycheck.model.ArchiveLimits;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.train.Checkpoint;
import dev.realitycheck.train.CheckpointDirectory;
import dev.realitycheck.transport.AssembledCheckpoint;
import dev.realitycheck.transport.CheckpointAssembler;
import dev.realitycheck.transport.CheckpointIds;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicCatchUp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Where a pod finds a run's latest checkpoint when it has none of its own (the run began on a pod
 * that died, and the pods share no storage): the checkpoints on {@code realitycheck.training-states}
 * carry the training state ({@link #TRAINING_STATE}, the {@code TrainingState} file: every variable,
 * optimizer slots, step, seed and iteration) inside their packed model; those on
 * {@code realitycheck.checkpoints}, for serving, do not. It reads the topic from the beginning to its
 * current end with a consumer of its own (no group), reassembles the run's checkpoints (keys as
 * {@link CheckpointIds} makes them) and unpacks the one with the most iterations into the run's
 * {@link CheckpointDirectory}, where {@code TrainingRun.latestCheckpoint} finds it. Reading the
 * whole topic costs time on a long-lived topic; it happens only for a run redelivered to a pod
 * without its checkpoints.
 */
public final class PublishedCheckpoints {

    /** The entry of a packed checkpoint that holds the training state, beside the SavedModel. */
    public static final String TRAINING_STATE = "training-state.bin";

    private static final Logger LOG = Logger.getLogger(PublishedCheckpoints.class);

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic            the checkpoints topic
     * @param timeout          longest time spent reading the topic
     */
    public PublishedCheckpoints(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
    }

    /**
     * @param runId  the run
     * @param runDir the run's (empty) checkpoint directory
     * @return the run's latest published checkpoint with a training state, unpacked into {@code runDir}
     */
    public Optional<Checkpoint> latest(String runId, Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path assembly = Files.createTempDirectory(runDir, "assembly");
        byte[] prefix = CheckpointIds.keyPrefix(runId);
        AssembledCheckpoint[] latest = {null};
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                KafkaSettings.consumer(bootstrapServers, null, "trainer-resume"));
             CheckpointAssembler assembler = new CheckpointAssembler(assembly, ArchiveLimits.DEFAULT.maxTotalBytes(), 4,
                     timeout, "trainer-service", Clock.systemUTC())) {
            List<TopicPartition> partitions = c.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            TopicCatchUp.readToEnd(c, partitions, timeout, Duration.ofMillis(200), r -> {
                if (r.key() == null || !startsWith(r.key(), prefix)) {
                    return;
                }
                for (AssembledCheckpoint done : assembler.accept(r.topic(), r.partition(), r.offset(), r.key(),
                        r.value()).completed()) {
                    if (latest[0] == null || done.manifest().getIteration() > latest[0].manifest().getIteration()) {
                        if (latest[0] != null) {
                            latest[0].close();
                        }
                        latest[0] = done;
                    } else {
                        done.close();
                    }
                }
            });
            if (latest[0] == null) {
                return Optional.empty();
            }
            return unpack(latest[0], runDir);
        } catch (TimeoutException e) {
            throw new IOException("reading " + topic + " for run " + runId + ": " + e.getMessage(), e);
        } finally {
            if (latest[0] != null) {
                latest[0].close();
            }
            deleteRecursively(assembly);
        }
    }

    private static Optional<Checkpoint> unpack(AssembledCheckpoint assembled, Path runDir) throws IOException {
        long iteration = assembled.manifest().getIteration();
        try (UnpackedModel unpacked = SavedModelArchive.unpack(assembled.packedModel())) {
            Path state = unpacked.directory().resolve(TRAINING_STATE);
            if (!Files.isRegularFile(state)) {
                LOG.infof("checkpoint %s has no training state: the run starts over", assembled.manifest().getCheckpointId());
                return Optional.empty();
            }
            Checkpoint checkpoint = new CheckpointDirectory(runDir).checkpoint(iteration);
            Path incomplete = checkpoint.state().resolveSibling(CheckpointDirectory.STATE_FILE + ".tmp");
            Files.createDirectories(checkpoint.model().getParent());
            Files.move(state, incomplete, StandardCopyOption.REPLACE_EXISTING);
            deleteRecursively(checkpoint.model());
            copyRecursively(unpacked.directory(), checkpoint.model());
            Files.move(incomplete, checkpoint.state(), StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("fetched checkpoint %s with its training state from %s", assembled.manifest().getCheckpointId(),
                    "Kafka");
            return Optional.of(checkpoint);
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try (InputStream in = Files.newInputStream(p)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
