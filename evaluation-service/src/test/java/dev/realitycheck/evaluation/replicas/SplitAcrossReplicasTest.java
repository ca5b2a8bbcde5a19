package dev.realitycheck.evaluation.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.realitycheck.data.split.HeldOutImages;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationBlockScores;
import dev.realitycheck.proto.v1.EvaluationBlockTask;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.BlockScores;
import dev.realitycheck.retrieval.ClusteredSet;
import dev.realitycheck.retrieval.PmlFixture;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.TopicCatchUp;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One evaluation split across replicas through a real broker: {@link BlockWorker}s of one consumer
 * group score the blocks an {@link BlockOwner} publishes, and the combined report equals the
 * single-process one bit for bit (every shared fixture, and a generated 30,000 x 16 set; 100,000 x 16 under
 * the {@code benchmark} tag); a replica
 * stopped after taking a block and before publishing it loses no block; corrupt tasks and partials
 * go to the dead-letter topic while the workers and the owner go on.
 *
 * <p>The tests share one broker, and each worker group reads the tasks topic from its beginning: a
 * worker knows only its own test's checkpoints (an earlier test's task is dead-lettered, never scored).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SplitAcrossReplicasTest {

    /** The service's evaluator (cosine, its metrics), one thread: two workers share the two cores. */
    static final RetrievalEvaluator EVALUATOR = HeldOutImages.evaluator(1, RetrievalEvaluator.standardMetrics(1, 2, 4, 8));

    /** What every replica's inputs are: the tasks by checkpoint id (the same for every worker). */
    static final Map<String, RetrievalTask> INPUTS = new ConcurrentHashMap<>();

    static String bootstrap;
    static BlockOwner owner;
    static Producer<String, byte[]> producer;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, BlockOwner.TOPICS, 4, (short) 1);
        }
        owner = new BlockOwner(new BlockOwner.Settings(bootstrap, "owner", 4, (short) 1), EVALUATOR);
        owner.start();
        producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-producer"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        producer.close();
        owner.close();
    }

    static BlockWorker worker(String group, String name, String prefix, BlockWorker.BeforePublish hook) {
        BlockWorker w = new BlockWorker(new BlockWorker.Settings(bootstrap, group, name, 4, (short) 1), EVALUATOR,
                (checkpointId, split) -> {
                    if (!checkpointId.startsWith(prefix)) {
                        throw new IllegalArgumentException("not this test's checkpoint: " + checkpointId);
                    }
                    return INPUTS.get(checkpointId);
                }, hook);
        w.start();
        return w;
    }

    static BlockOwner.Request request(String checkpointId, RetrievalTask task, int blockSize) {
        INPUTS.put(checkpointId, task);
        return new BlockOwner.Request(checkpointId + ":test", checkpointId, Split.SPLIT_TEST, task.queryLabels(),
                task.referenceLabels(), task.mode(), blockSize);
    }

    /** The report without its kNN time (which differs between runs); records compare doubles bit for bit. */
    static RetrievalReport values(RetrievalReport r) {
        return new RetrievalReport(r.metrics(), r.metricsPerClassAverage(), r.perClass(), r.queries(), r.loneQueries(),
                r.k(), 0);
    }

    static RetrievalReport result(CompletableFuture<RetrievalReport> future) throws Exception {
        return future.get(120, TimeUnit.SECONDS);
    }

    @Test
    void twoReplicasSplitEveryFixtureAndAGeneratedSetIntoTheSingleProcessResultBitForBit() throws Exception {
        twoReplicasSplit("equal-", 30_000, true);
    }

    /** The same at 100,000 x 16 (about 45 s on two cores, so not in the default test run). */
    @Test
    @Tag("benchmark")
    void twoReplicasSplitA100kSetIntoTheSingleProcessResultBitForBit() throws Exception {
        twoReplicasSplit("large-", 100_000, false);
    }

    /** Two replicas of one group split the fixtures (when asked) and a generated n x 16 set: the single-process result. */
    private static void twoReplicasSplit(String prefix, int n, boolean fixturesToo) throws Exception {
        try (BlockWorker first = worker("split-" + prefix, "replica-1", prefix, BlockWorker.BeforePublish.NONE);
             BlockWorker second = worker("split-" + prefix, "replica-2", prefix, BlockWorker.BeforePublish.NONE)) {
            // both replicas in the group before any task: each takes its share
            await().atMost(Duration.ofSeconds(60)).until(() -> !first.assignment().isEmpty() && !second.assignment().isEmpty()
                    && first.assignment().size() + second.assignment().size() == 4);

            List<PmlFixture> fixtures = fixturesToo ? PmlFixture.all() : List.of();
            Map<String, CompletableFuture<RetrievalReport>> split = new java.util.LinkedHashMap<>();
            for (PmlFixture fixture : fixtures) {
                RetrievalTask task = fixture.task();
                int blockSize = Math.max(1, task.queries().rows() / 5);
                split.put(fixture.name(), owner.submit(request(prefix + fixture.name(), task, blockSize)));
            }
            for (PmlFixture fixture : fixtures) {
                RetrievalReport single = EVALUATOR.evaluate(fixture.task());
                assertThat(values(result(split.get(fixture.name())))).as(fixture.name()).isEqualTo(values(single));
            }

            RetrievalTask large = ClusteredSet.sameSet(n, 16, 17);
            long start = System.nanoTime();
            RetrievalReport combined = result(owner.submit(request(prefix + "generated", large, n / 8)));
            long splitNanos = System.nanoTime() - start;
            start = System.nanoTime();
            RetrievalReport single = EVALUATOR.evaluate(large);
            System.out.printf("%,d x 16: split over 2 replicas in %.1f s, one process (1 thread) %.1f s%n",
                    n, splitNanos / 1e9, (System.nanoTime() - start) / 1e9);
            assertThat(single.evaluatedQueries()).isEqualTo(n);
            assertThat(values(combined)).isEqualTo(values(single));
            assertThat(first.scored()).as("blocks the first replica scored").isPositive();
            assertThat(second.scored()).as("blocks the second replica scored").isPositive();
            assertThat(first.failures() + second.failures()).isZero();
        }
    }

    @Test
    void aReplicaStoppedMidBlockLosesNoBlock() throws Exception {
        CountDownLatch took = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        RetrievalTask task = ClusteredSet.sameSet(4_000, 8, 5);
        BlockOwner.Request request = request("kill-generated-4k", task, 500);
        BlockWorker doomed = worker("split-kill", "doomed", "kill-", scored -> {
            took.countDown();
            // it has taken the task and scored it, and is stopped before it publishes
            assertThat(stopped.await(60, TimeUnit.SECONDS)).isTrue();
            throw new IllegalStateException("replica killed before publishing block " + scored.getFrom());
        });
        BlockWorker survivor = null;
        try {
            CompletableFuture<RetrievalReport> result = owner.submit(request);
            assertThat(took.await(60, TimeUnit.SECONDS)).as("the doomed replica took a block").isTrue();
            survivor = worker("split-kill", "survivor", "kill-", BlockWorker.BeforePublish.NONE);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
                try {
                    doomed.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !doomed.isRunning());
            stopped.countDown();
            closing.get(60, TimeUnit.SECONDS);

            RetrievalReport combined = result(result);
            assertThat(values(combined)).isEqualTo(values(EVALUATOR.evaluate(task)));
            assertThat(doomed.scored()).as("the doomed replica published nothing").isZero();
            assertThat(survivor.scored()).as("the survivor scored every block, the abandoned one too").isGreaterThanOrEqualTo(8);
        } finally {
            stopped.countDown();
            doomed.close();
            if (survivor != null) {
                survivor.close();
            }
        }
    }

    @Test
    void corruptTasksAndPartialsGoToTheDeadLetterTopicAndBothSidesGoOn() throws Exception {
        RetrievalTask task = ClusteredSet.sameSet(800, 8, 9);
        try (BlockWorker worker = worker("split-corrupt", "replica", "corrupt-", BlockWorker.BeforePublish.NONE)) {
            // a task that is no protobuf, and one whose block lies outside its queries
            producer.send(new ProducerRecord<>(Topics.EVALUATION_BLOCKS, "bad-task",
                    new byte[] {(byte) 0xff, 0x01, 0x02})).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.EVALUATION_BLOCKS, "outside", EvaluationBlockTask.newBuilder()
                    .setEvaluationId("corrupt-x:test").setCheckpointId("corrupt-x").setSplit(Split.SPLIT_TEST)
                    .setQueryCount(10).setFrom(5).setTo(20).build().toByteArray())).get(30, TimeUnit.SECONDS);

            RetrievalReport combined = result(owner.submit(request("corrupt-generated-800", task, 200)));
            assertThat(values(combined)).isEqualTo(values(EVALUATOR.evaluate(task)));

            await().atMost(Duration.ofSeconds(60)).until(() -> letters(BlockWorker.CONSUMER).stream().anyMatch(
                    l -> l.getKey().toStringUtf8().equals("bad-task") && l.getReason() == DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE)
                    && letters(BlockWorker.CONSUMER).stream().anyMatch(l -> l.getKey().toStringUtf8().equals("outside")
                    && l.getReason() == DeadLetterReason.DEAD_LETTER_REASON_INVALID));

            // a task whose checkpoint the replica cannot embed: dead-lettered, and its owner fails at once
            CompletableFuture<RetrievalReport> missing = owner.submit(new BlockOwner.Request("corrupt-missing:test",
                    "corrupt-missing", Split.SPLIT_TEST, new int[] {1, 1, 2, 2}, new int[] {1, 1, 2, 2},
                    dev.realitycheck.retrieval.ReferenceMode.SAME, 4));
            assertThatThrownBy(() -> result(missing)).isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .hasMessageContaining("could not score block [0, 4)");
            assertThat(worker.failures()).isZero();
            assertThat(worker.scored()).isEqualTo(4);
        }

        // the owner: a partial that is no protobuf, one with damaged scores, a block twice (kept once)
        BlockOwner.Request request = request("corrupt-by-hand", task, 400);
        CompletableFuture<RetrievalReport> result = owner.submit(request);
        String id = request.evaluationId();
        publishPartial(id, new byte[] {(byte) 0xff, (byte) 0xff, 0x07});
        EvaluationBlockScores first = partial(request, EVALUATOR.scoreBlock(task, 0, 400));
        publishPartial(id, first.toBuilder().setBlockScores(first.getBlockScores().substring(0, 20)).build().toByteArray());
        publishPartial(id, first.toByteArray());
        publishPartial(id, first.toBuilder().setWorker("redelivered").build().toByteArray());
        publishPartial(id, partial(request, EVALUATOR.scoreBlock(task, 400, 800)).toByteArray());

        assertThat(values(result(result))).isEqualTo(values(EVALUATOR.evaluate(task)));
        assertThat(owner.duplicates()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<DeadLetter> parked = letters(BlockOwner.CONSUMER).stream()
                    .filter(l -> l.getKey().toStringUtf8().equals(id)).toList();
            return parked.stream().anyMatch(l -> l.getReason() == DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE)
                    && parked.stream().anyMatch(l -> l.getReason() == DeadLetterReason.DEAD_LETTER_REASON_CORRUPT);
        });
        assertThat(owner.isAlive()).isTrue();
        assertThat(owner.failures()).isZero();
        assertThat(owner.pending()).isZero();
    }

    static EvaluationBlockScores partial(BlockOwner.Request request, BlockScores block) {
        return EvaluationBlockScores.newBuilder().setEvaluationId(request.evaluationId())
                .setCheckpointId(request.checkpointId()).setSplit(request.split()).setFrom(block.from()).setTo(block.to())
                .setBlockScores(BlockWorker.bytes(block)).setWorker("by-hand").build();
    }

    static void publishPartial(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVALUATION_PARTIALS, key, value)).get(30, TimeUnit.SECONDS);
    }

    static List<DeadLetter> letters(String consumer) throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        TopicCatchUp.readTopic(bootstrap, "test-letters", Topics.DEAD_LETTERS, Duration.ofSeconds(30), r -> {
            try {
                DeadLetter letter = DeadLetter.parseFrom(r.value());
                if (letter.getConsumer().equals(consumer)) {
                    letters.add(letter);
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        });
        return letters;
    }
}
