package dev.realitycheck.evaluation.replicas;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationBlockScores;
import dev.realitycheck.proto.v1.EvaluationBlockTask;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.BlockScores;
import dev.realitycheck.retrieval.ReferenceMode;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
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
 * The owner's side of an evaluation split across replicas: {@link #submit} cuts the queries into
 * blocks, publishes one {@link EvaluationBlockTask} per block on {@link Topics#EVALUATION_BLOCKS}
 * (acknowledged) for the replicas' {@link BlockWorker}s, and completes with the
 * {@link RetrievalEvaluator#combine combined} report once every block's scores have come back on
 * {@link Topics#EVALUATION_PARTIALS}: exactly the report one process gives, bit for bit.
 *
 * <p>The partials are read by a {@link ConsumerLoop} that assigns every partition from the
 * beginning (no group: every replica may own evaluations). Partials of evaluations this owner is not
 * waiting for are passed over. A block that comes twice (a task redelivered after a replica died
 * between publishing and committing) is kept once when its values are the same bits; one with other
 * values, a block that was not asked for, and a record that is not a block's scores go to
 * {@link Topics#DEAD_LETTERS}, each at most once per owner ({@link DeadLetterPublisher#parkedBy}). A
 * partial that carries an error (a replica could not score the block) fails the evaluation at once.
 */
public final class BlockOwner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BlockOwner.class);

    /** The consumer named in this owner's dead letters. */
    public static final String CONSUMER = "evaluation-service-partials";

    /** The topics of a split evaluation, created when missing. */
    static final List<String> TOPICS = List.of(Topics.EVALUATION_BLOCKS, Topics.EVALUATION_PARTIALS, Topics.DEAD_LETTERS);

    /** Longest wait for the dead letters parked before, read back when a consumer starts. */
    private static final Duration PARKED_READ_TIMEOUT = Duration.ofMinutes(2);

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param name             this replica's name (client ids)
     * @param topicPartitions  partitions of the topics created when missing
     * @param topicReplication replication of the topics created when missing
     */
    public record Settings(String bootstrapServers, String name, int topicPartitions, short topicReplication) {

        /** Validates every value, naming the bad one. */
        public Settings {
            BlockWorker.requireText("bootstrapServers", bootstrapServers);
            BlockWorker.requireText("name", name);
            BlockWorker.requirePositive(topicPartitions, topicReplication);
        }
    }

    /**
     * One evaluation to split.
     *
     * @param evaluationId    the evaluation's id (the result's), unique among those pending
     * @param checkpointId    the checkpoint whose embeddings every replica scores
     * @param split           the held-out split
     * @param queryLabels     every query's label (the owner combines from labels alone)
     * @param referenceLabels every reference's label
     * @param mode            how queries relate to references
     * @param blockSize       queries per block (the last block may be shorter), >= 1
     */
    public record Request(String evaluationId, String checkpointId, Split split, int[] queryLabels,
                          int[] referenceLabels, ReferenceMode mode, int blockSize) {

        /** Validates every value, naming the bad one. */
        public Request {
            EvaluationBlockTask probe = EvaluationBlockTask.newBuilder()
                    .setEvaluationId(Objects.requireNonNull(evaluationId, "evaluationId"))
                    .setCheckpointId(Objects.requireNonNull(checkpointId, "checkpointId"))
                    .setSplit(Objects.requireNonNull(split, "split"))
                    .setQueryCount(Objects.requireNonNull(queryLabels, "queryLabels").length)
                    .setFrom(0).setTo(queryLabels.length).build();
            String problem = BlockWorker.problem(probe);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            Objects.requireNonNull(referenceLabels, "referenceLabels");
            Objects.requireNonNull(mode, "mode");
            if (blockSize < 1) {
                throw new IllegalArgumentException("blockSize must be >= 1, was " + blockSize);
            }
        }

        /** The blocks, {@code [from, to)} in query order: from -> to. */
        Map<Integer, Integer> blocks() {
            Map<Integer, Integer> blocks = new LinkedHashMap<>();
            for (int from = 0; from < queryLabels.length; from += blockSize) {
                blocks.put(from, Math.min(queryLabels.length, from + blockSize));
            }
            return blocks;
        }
    }

    /** An evaluation waiting for its blocks; {@code received} is the loop thread's only. */
    private record Pending(Request request, Map<Integer, Integer> expected, Map<Integer, BlockScores> received,
                           CompletableFuture<RetrievalReport> result) {
    }

    private final Settings settings;
    private final RetrievalEvaluator evaluator;
    private final ConsumerLoop.TopicSetup topics;
    private final ConsumerLoop loop;
    private final Producer<String, byte[]> producer;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile boolean topicsReady;
    /** Dead letters this owner parked (read back once, then added to). */
    private volatile Set<String> parked;

    /** @param evaluator the same evaluator (metrics) as the workers and the single-process path */
    public BlockOwner(Settings settings, RetrievalEvaluator evaluator) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
        this.topics = ConsumerLoop.TopicSetup.create(settings.bootstrapServers(), TOPICS, settings.topicPartitions(),
                settings.topicReplication());
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("evaluation-partials-" + settings.name(),
                List.of(Topics.EVALUATION_PARTIALS)), this::newConsumer, topics, Session::new);
        this.producer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(),
                "evaluation-blocks-" + settings.name()));
    }

    /** Starts reading the partials on a thread of its own. */
    public void start() {
        loop.start();
    }

    /**
     * Publishes the blocks of {@code request} as tasks (each acknowledged before this returns) and
     * returns the combined report to come. A caller that stops waiting cancels the future, which
     * forgets the evaluation.
     *
     * @throws IllegalStateException when an evaluation with this id is pending already
     * @throws Exception             when the topics cannot be created or a task is not acknowledged
     */
    public CompletableFuture<RetrievalReport> submit(Request request) throws Exception {
        if (!topicsReady) {
            topics.ensure();
            topicsReady = true;
        }
        Map<Integer, Integer> blocks = request.blocks();
        Pending p = new Pending(request, blocks, new HashMap<>(), new CompletableFuture<>());
        if (pending.putIfAbsent(request.evaluationId(), p) != null) {
            throw new IllegalStateException("evaluation " + request.evaluationId() + " is pending already");
        }
        p.result().whenComplete((report, failure) -> pending.remove(request.evaluationId(), p));
        try {
            for (Map.Entry<Integer, Integer> block : blocks.entrySet()) {
                EvaluationBlockTask task = EvaluationBlockTask.newBuilder()
                        .setEvaluationId(request.evaluationId())
                        .setCheckpointId(request.checkpointId())
                        .setSplit(request.split())
                        .setQueryCount(request.queryLabels().length)
                        .setFrom(block.getKey())
                        .setTo(block.getValue())
                        .build();
                producer.send(new ProducerRecord<>(Topics.EVALUATION_BLOCKS, request.evaluationId() + "/" + block.getKey(),
                        task.toByteArray())).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            p.result().completeExceptionally(e);
            throw e;
        }
        LOG.infof("evaluation %s: %,d queries published as %d blocks of up to %,d", request.evaluationId(),
                request.queryLabels().length, blocks.size(), request.blockSize());
        return p.result();
    }

    /** Blocks received twice with the same values (and kept once) so far. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Evaluations waiting for blocks. */
    public int pending() {
        return pending.size();
    }

    /** Failures of the loop so far (see {@link ConsumerLoop}). */
    public long failures() {
        return loop.failures();
    }

    /** True while the partials are read (until {@link #close()}). */
    public boolean isAlive() {
        return loop.isAlive();
    }

    /** Stops reading; pending evaluations fail. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
        producer.close();
        pending.values().forEach(p -> p.result().completeExceptionally(
                new IllegalStateException("the owner of " + p.request().evaluationId() + " closed")));
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(KafkaSettings.consumer(settings.bootstrapServers(), null,
                "evaluation-partials-" + settings.name()));
    }

    /** One consumer's reading of the partials: its producer for dead letters. */
    private final class Session implements ConsumerLoop.Session {
        private final Producer<String, byte[]> letterProducer;
        private final DeadLetterPublisher letters;
        private final DeadLetterFactory factory = new DeadLetterFactory(CONSUMER);

        Session(Consumer<byte[], byte[]> consumer) throws Exception {
            if (parked == null) {
                parked = DeadLetterPublisher.parkedBy(settings.bootstrapServers(), CONSUMER, PARKED_READ_TIMEOUT);
            }
            this.letterProducer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(),
                    "evaluation-partials-letters-" + settings.name()));
            this.letters = new DeadLetterPublisher(letterProducer, parked);
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                accept(r);
            }
            return Map.of();
        }

        private void accept(ConsumerRecord<byte[], byte[]> r) {
            EvaluationBlockScores scores;
            try {
                scores = EvaluationBlockScores.parseFrom(r.value() == null ? new byte[0] : r.value());
            } catch (InvalidProtocolBufferException e) {
                reject(r, DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE, "not the scores of a block: " + e);
                return;
            }
            if (scores.getEvaluationId().isEmpty()) {
                reject(r, DeadLetterReason.DEAD_LETTER_REASON_INVALID, "scores of a block without an evaluation id");
                return;
            }
            Pending p = pending.get(scores.getEvaluationId());
            if (p == null) {
                return; // another owner's evaluation, or one done already
            }
            Integer to = p.expected().get(scores.getFrom());
            if (to == null || to != scores.getTo()) {
                reject(r, DeadLetterReason.DEAD_LETTER_REASON_INVALID, "block [" + scores.getFrom() + ", "
                        + scores.getTo() + ") was not asked for by " + scores.getEvaluationId());
                return;
            }
            if (!scores.getError().isEmpty()) {
                p.result().completeExceptionally(new IllegalStateException("evaluation " + scores.getEvaluationId()
                        + " failed: " + scores.getError()));
                return;
            }
            BlockScores block;
            try {
                block = BlockScores.readFrom(new DataInputStream(new ByteArrayInputStream(scores.getBlockScores().toByteArray())));
                if (block.from() != scores.getFrom() || block.to() != scores.getTo()
                        || block.values().length != evaluator.metrics().size()) {
                    throw new IOException("block [" + block.from() + ", " + block.to() + ") of " + block.values().length
                            + " metrics in the record of block [" + scores.getFrom() + ", " + scores.getTo() + ")");
                }
            } catch (IOException | IllegalArgumentException e) {
                reject(r, DeadLetterReason.DEAD_LETTER_REASON_CORRUPT, "scores of " + scores.getEvaluationId()
                        + " unreadable: " + e);
                return;
            }
            BlockScores before = p.received().putIfAbsent(block.from(), block);
            if (before != null) {
                if (Arrays.deepEquals(before.values(), block.values())) {
                    duplicates.incrementAndGet();
                    LOG.debugf("block [%d, %d) of %s came again (%s): kept once", block.from(), block.to(),
                            scores.getEvaluationId(), scores.getWorker());
                } else {
                    reject(r, DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE, "block [" + block.from() + ", "
                            + block.to() + ") of " + scores.getEvaluationId() + " came again with other values");
                }
                return;
            }
            if (p.received().size() == p.expected().size()) {
                Request q = p.request();
                try {
                    p.result().complete(evaluator.combine(q.queryLabels(), q.referenceLabels(), q.mode(),
                            new ArrayList<>(p.received().values())));
                } catch (RuntimeException e) {
                    p.result().completeExceptionally(e);
                }
            }
        }

        private void reject(ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason, String message) {
            letters.publish(factory.of(r, reason, message));
        }

        @Override
        public void close() {
            letterProducer.close();
        }
    }
}
