package dev.realitycheck.evaluation.replicas;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationBlockScores;
import dev.realitycheck.proto.v1.EvaluationBlockTask;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.BlockScores;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.GroupProtocols;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * One replica's share of evaluations split across replicas: reads {@link Topics#EVALUATION_BLOCKS}
 * in the replicas' consumer group, one task per poll, scores the task's block with
 * {@link RetrievalEvaluator#scoreBlock} against the inputs of {@link BlockInputs}, publishes the
 * {@link BlockScores} on {@link Topics#EVALUATION_PARTIALS} and commits the task's offset only once
 * the broker has acknowledged them. A replica that dies mid-block commits nothing, so the group hands
 * the task to another replica (the owner keeps one of a block scored twice, see {@link BlockOwner}).
 * A task that cannot be parsed or is inconsistent is dead-lettered and committed past; one whose
 * inputs cannot be had or do not match its query count too, and its owner is told (a partial with
 * an error instead of scores), so the evaluation fails at once rather than waiting for the block. Runs on a {@link ConsumerLoop} (group mode), with
 * its one failure policy.
 */
public final class BlockWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockWorker.class);

    /** The consumer named in this worker's dead letters. */
    public static final String CONSUMER = "evaluation-service-blocks";

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param consumerGroup    the group every replica's worker shares
     * @param name             this replica's name (its client ids, the {@code worker} of its scores)
     * @param topicPartitions  partitions of the topics created when missing (the most replicas that score one evaluation at once)
     * @param topicReplication replication of the topics created when missing
     */
    public record Settings(String bootstrapServers, String consumerGroup, String name, int topicPartitions,
                           short topicReplication) {

        /** Validates every value, naming the bad one. */
        public Settings {
            requireText("bootstrapServers", bootstrapServers);
            requireText("consumerGroup", consumerGroup);
            requireText("name", name);
            requirePositive(topicPartitions, topicReplication);
        }
    }

    /** Called after a block is scored and before its scores are published: where a test stops a replica mid-block. */
    @FunctionalInterface
    public interface BeforePublish {
        /** Nothing. */
        BeforePublish NONE = task -> { };

        /** {@code task} is scored; throwing is a failure of the loop (nothing committed). */
        void scored(EvaluationBlockTask task) throws Exception;
    }

    private final Settings settings;
    private final RetrievalEvaluator evaluator;
    private final BlockInputs inputs;
    private final BeforePublish beforePublish;
    private final ConsumerLoop loop;
    private final AtomicLong scored = new AtomicLong();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    /** The latest inputs and what they are; the loop's thread only. */
    private String cachedKey;
    private RetrievalTask cached;

    /**
     * @param evaluator     the same evaluator (distance, threads, metrics) as the single-process path
     * @param inputs        the whole task of a checkpoint's split
     * @param beforePublish called between scoring and publishing ({@link BeforePublish#NONE} in the service)
     */
    public BlockWorker(Settings settings, RetrievalEvaluator evaluator, BlockInputs inputs, BeforePublish beforePublish) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.inputs = Objects.requireNonNull(inputs, "inputs");
        this.beforePublish = Objects.requireNonNull(beforePublish, "beforePublish");
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.group("evaluation-blocks-" + settings.name(),
                List.of(Topics.EVALUATION_BLOCKS)), this::newConsumer,
                ConsumerLoop.TopicSetup.create(settings.bootstrapServers(), BlockOwner.TOPICS,
                        settings.topicPartitions(), settings.topicReplication()), Session::new);
    }

    /** Starts consuming on a thread of its own. */
    public void start() {
        loop.start();
    }

    /** Blocks scored and acknowledged so far. */
    public long scored() {
        return scored.get();
    }

    /** The task partitions this worker holds now. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** True from {@link #start()} until {@link #close()}. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Failures of the loop so far (see {@link ConsumerLoop}). */
    public long failures() {
        return loop.failures();
    }

    /** Stops; a block in progress is abandoned uncommitted (another replica scores it). */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Properties props = KafkaSettings.consumer(settings.bootstrapServers(), settings.consumerGroup(),
                "evaluation-blocks-" + settings.name());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1"); // one block per commit
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Integer.toString((int) Duration.ofMinutes(30).toMillis()));
        GroupProtocols.useBest(props, settings.bootstrapServers()); // a joining replica gets idle partitions at once
        return new KafkaConsumer<>(props);
    }

    /** One consumer's work: its producer and dead-letter publisher. */
    private final class Session implements ConsumerLoop.Session {
        private final Producer<String, byte[]> producer;
        private final DeadLetterPublisher letters;
        private final DeadLetterFactory factory = new DeadLetterFactory(CONSUMER);

        Session(Consumer<byte[], byte[]> consumer) {
            this.producer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(),
                    "evaluation-partials-" + settings.name()));
            this.letters = new DeadLetterPublisher(producer);
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                score(r);
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            return offsets;
        }

        /** Scores one task and publishes its block (acknowledged), or dead-letters the task. */
        private void score(ConsumerRecord<byte[], byte[]> r) throws Exception {
            EvaluationBlockTask task;
            try {
                task = EvaluationBlockTask.parseFrom(r.value() == null ? new byte[0] : r.value());
            } catch (InvalidProtocolBufferException e) {
                letters.publish(factory.of(r, DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE, "not a block task: " + e));
                return;
            }
            String problem = problem(task);
            if (problem != null) {
                letters.publish(factory.of(r, DeadLetterReason.DEAD_LETTER_REASON_INVALID, problem));
                return;
            }
            RetrievalTask whole;
            try {
                whole = inputs(task.getCheckpointId(), task.getSplit());
            } catch (Exception e) {
                refuse(r, task, DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED,
                        "no inputs for " + task.getEvaluationId() + ": " + e);
                return;
            }
            if (whole.queries().rows() != task.getQueryCount()) {
                refuse(r, task, DeadLetterReason.DEAD_LETTER_REASON_INVALID, "task of " + task.getEvaluationId()
                        + " counts " + task.getQueryCount() + " queries, the inputs of " + task.getCheckpointId()
                        + " have " + whole.queries().rows());
                return;
            }
            BlockScores block = evaluator.scoreBlock(whole, task.getFrom(), task.getTo());
            beforePublish.scored(task);
            publish(partialOf(task).setBlockScores(bytes(block)));
            scored.incrementAndGet();
            LOG.debugf("%s scored block [%d, %d) of %s in %.2f s", settings.name(), task.getFrom(), task.getTo(),
                    task.getEvaluationId(), block.knnNanos() / 1e9);
        }

        /** Dead-letters a task that cannot be scored and tells its owner (an error instead of scores). */
        private void refuse(ConsumerRecord<byte[], byte[]> r, EvaluationBlockTask task, DeadLetterReason reason,
                            String message) throws Exception {
            letters.publish(factory.of(r, reason, message));
            publish(partialOf(task).setError(settings.name() + " could not score block [" + task.getFrom() + ", "
                    + task.getTo() + "): " + message));
        }

        /** Publishes a partial and waits for the acknowledgement. */
        private void publish(EvaluationBlockScores.Builder partial) throws Exception {
            producer.send(new ProducerRecord<>(Topics.EVALUATION_PARTIALS, partial.getEvaluationId(),
                    partial.build().toByteArray())).get(60, TimeUnit.SECONDS);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }

        @Override
        public void close() {
            assigned.clear();
            producer.close();
        }
    }

    /** The inputs of a checkpoint's split, embedded again only when another checkpoint or split comes. */
    private RetrievalTask inputs(String checkpointId, Split split) throws Exception {
        String key = checkpointId + "/" + split.name();
        if (!key.equals(cachedKey)) {
            cached = null; // let the old inputs go before embedding the new ones
            cachedKey = null;
            cached = Objects.requireNonNull(inputs.inputs(checkpointId, split), "inputs of " + key);
            cachedKey = key;
        }
        return cached;
    }

    /** A partial of {@code task}'s block by this replica, without scores or error yet. */
    private EvaluationBlockScores.Builder partialOf(EvaluationBlockTask task) {
        return EvaluationBlockScores.newBuilder()
                .setEvaluationId(task.getEvaluationId())
                .setCheckpointId(task.getCheckpointId())
                .setSplit(task.getSplit())
                .setFrom(task.getFrom())
                .setTo(task.getTo())
                .setWorker(settings.name());
    }

    /** Why a task cannot be scored, or null. */
    static String problem(EvaluationBlockTask task) {
        if (task.getEvaluationId().isEmpty() || task.getCheckpointId().isEmpty()) {
            return "a block task needs an evaluation id and a checkpoint id";
        }
        if (task.getSplit() != Split.SPLIT_VALIDATION && task.getSplit() != Split.SPLIT_TEST) {
            return "block task of " + task.getEvaluationId() + " has no split";
        }
        if (task.getFrom() < 0 || task.getTo() <= task.getFrom() || task.getTo() > task.getQueryCount()) {
            return "block [" + task.getFrom() + ", " + task.getTo() + ") of " + task.getEvaluationId()
                    + " is not within its " + task.getQueryCount() + " queries";
        }
        return null;
    }

    /** The fixed binary form of {@code block} ({@link BlockScores#writeTo}). */
    static ByteString bytes(BlockScores block) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 8 * block.values().length * block.size());
        try (DataOutputStream data = new DataOutputStream(out)) {
            block.writeTo(data);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write to memory", e);
        }
        return ByteString.copyFrom(out.toByteArray());
    }

    static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
        }
    }

    static void requirePositive(int topicPartitions, short topicReplication) {
        if (topicPartitions < 1 || topicReplication < 1) {
            throw new IllegalArgumentException("topicPartitions and topicReplication must be >= 1, were "
                    + topicPartitions + " and " + topicReplication);
        }
    }
}
