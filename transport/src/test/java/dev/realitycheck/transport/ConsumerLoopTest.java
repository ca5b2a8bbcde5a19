package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one consumer loop, driven by Kafka's {@link MockConsumer} standing in for the broker: records
 * handled in order and committed as the session says; an exception and an {@code Error} from the
 * session are both logged, counted and followed by a new consumer that resumes from the committed
 * offsets; close wakes the consumer and is bounded; the all-partitions mode assigns everything and
 * seeks to the beginning; topics are set up before each new consumer.
 */
class ConsumerLoopTest {

    private static final String TOPIC = "test.loop";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final ConsumerLoop.Backoff FAST = new ConsumerLoop.Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

    /** The log line of each failure, captured from the loop's logger. */
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final java.util.logging.Logger loopLogger = java.util.logging.Logger.getLogger(ConsumerLoop.class.getName());

    @BeforeEach
    void captureLog() {
        loopLogger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        loopLogger.removeHandler(capture);
    }

    /**
     * What the broker keeps between consumers: each partition's records and the group's committed
     * offsets. Each consumer it makes is a {@link MockConsumer} that starts from what was committed.
     */
    static final class Broker {
        final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new ConcurrentHashMap<>();
        final Map<TopicPartition, OffsetAndMetadata> committed = new ConcurrentHashMap<>();
        final List<TestConsumer> consumers = new CopyOnWriteArrayList<>();
        final String resetStrategy;
        final boolean group;
        /** One record per poll, so a failure leaves the records before it committed. */
        boolean consumersMaxPollOne;

        Broker(boolean group, String resetStrategy) {
            this.group = group;
            this.resetStrategy = resetStrategy;
        }

        void append(TopicPartition tp, String... values) {
            List<ConsumerRecord<byte[], byte[]>> records = log.computeIfAbsent(tp, p -> new CopyOnWriteArrayList<>());
            for (String value : values) {
                records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), records.size(),
                        ("k" + records.size()).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
            }
        }

        TestConsumer newConsumer() {
            TestConsumer c = new TestConsumer(this);
            consumers.add(c);
            return c;
        }

        long committed(TopicPartition tp) {
            OffsetAndMetadata o = committed.get(tp);
            return o == null ? -1 : o.offset();
        }
    }

    /**
     * A {@link MockConsumer} that waits for records like a real poll (woken up by {@link #wakeup()}),
     * commits to its {@link Broker}, and is given the broker's partitions and records: in a group by a
     * rebalance at its first poll, otherwise once the loop has assigned the partitions.
     */
    static final class TestConsumer extends MockConsumer<byte[], byte[]> {
        private final Broker broker;
        private final Semaphore woken = new Semaphore(0);
        private boolean fed;

        TestConsumer(Broker broker) {
            super(broker.resetStrategy);
            this.broker = broker;
            Map<TopicPartition, Long> beginning = new java.util.HashMap<>();
            Map<TopicPartition, Long> end = new java.util.HashMap<>();
            Map<String, List<PartitionInfo>> infos = new java.util.HashMap<>();
            broker.log.forEach((tp, records) -> {
                beginning.put(tp, 0L);
                end.put(tp, (long) records.size());
                infos.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                        .add(new PartitionInfo(tp.topic(), tp.partition(), Node.noNode(), new Node[0], new Node[0]));
            });
            updateBeginningOffsets(beginning);
            updateEndOffsets(end);
            infos.forEach(this::updatePartitions);
            if (broker.consumersMaxPollOne) {
                setMaxPollRecords(1);
            }
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            synchronized (this) {
                if (!fed) {
                    fed = true;
                    if (broker.group) {
                        if (!broker.committed.isEmpty()) {
                            super.commitSync(Map.copyOf(broker.committed)); // what the group committed before
                        }
                        rebalance(broker.log.keySet());
                    }
                    broker.log.forEach((tp, records) -> records.forEach(this::addRecord));
                }
            }
            ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                idle(timeout);
            }
            return records;
        }

        private void idle(Duration timeout) {
            try {
                // like a real poll with nothing to read: returns at the timeout or on a wakeup
                if (woken.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    woken.release(); // the next super.poll throws the WakeupException
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wakeup() {
            super.wakeup();
            woken.release();
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            super.commitSync(offsets, timeout);
            broker.committed.putAll(offsets);
        }
    }

    /** A session that records what it handles and commits after each poll, optionally failing once. */
    static final class Recording implements ConsumerLoop.Session {
        final List<String> handled;
        final List<Collection<TopicPartition>> assigned;
        final Throwable failOnce;
        final AtomicBoolean failed;

        Recording(List<String> handled, List<Collection<TopicPartition>> assigned, Throwable failOnce, AtomicBoolean failed) {
            this.handled = handled;
            this.assigned = assigned;
            this.failOnce = failOnce;
            this.failed = failed;
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
            Map<TopicPartition, OffsetAndMetadata> commit = new java.util.HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                handled.add(value);
                if (value.equals("poison") && failOnce != null && failed.compareAndSet(false, true)) {
                    if (failOnce instanceof Error e) {
                        throw e;
                    }
                    throw (Exception) failOnce;
                }
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            return commit;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.add(List.copyOf(partitions));
        }
    }

    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final List<Collection<TopicPartition>> assigned = new CopyOnWriteArrayList<>();

    private ConsumerLoop loop(ConsumerLoop.Settings settings, Broker broker, ConsumerLoop.TopicSetup topics,
                              Throwable failOnce) {
        AtomicBoolean failed = new AtomicBoolean();
        return new ConsumerLoop(settings, broker::newConsumer, topics,
                consumer -> new Recording(handled, assigned, failOnce, failed));
    }

    private static ConsumerLoop.Settings group(String name) {
        return ConsumerLoop.Settings.group(name, List.of(TOPIC)).withPollTimeout(Duration.ofMillis(50)).withBackoff(FAST);
    }

    @Test
    void recordsAreHandledInOrderAndCommittedAsTheSessionSays() throws Exception {
        Broker broker = new Broker(true, "earliest");
        broker.append(P0, "a", "b", "c", "d", "e");
        try (ConsumerLoop loop = loop(group("loop-order"), broker, ConsumerLoop.TopicSetup.NONE, null)) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.committed(P0) == 5);

            assertThat(handled).containsExactly("a", "b", "c", "d", "e");
            assertThat(assigned).containsExactly(List.of(P0));
            assertThat(broker.consumers).hasSize(1);
            assertThat(broker.consumers.getFirst().subscription()).containsExactly(TOPIC);
            assertThat(loop.failures()).isZero();
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void anExceptionFromTheSessionIsLoggedCountedAndANewConsumerResumesFromTheCommittedOffsets() throws Exception {
        assertRecoversFrom(new IllegalStateException("simulated handler failure"), "loop-exception");
    }

    @Test
    void anErrorFromTheSessionFollowsTheSamePolicy() throws Exception {
        assertRecoversFrom(new OutOfMemoryError("simulated crash"), "loop-error");
    }

    private void assertRecoversFrom(Throwable failure, String name) throws Exception {
        Broker broker = new Broker(true, "earliest");
        broker.consumersMaxPollOne = true;
        broker.append(P0, "a", "b", "poison", "d");
        try (ConsumerLoop loop = loop(group(name), broker, ConsumerLoop.TopicSetup.NONE, failure)) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.committed(P0) == 4);

            // the poll that held "poison" was not committed: the next consumer read it again
            assertThat(handled).containsSubsequence("a", "b", "poison", "poison", "d");
            assertThat(handled.subList(handled.indexOf("poison") + 1, handled.size())).doesNotContain("a");
            assertThat(loop.failures()).isEqualTo(1);
            assertThat(broker.consumers).hasSize(2);
            assertThat(broker.consumers.getFirst().closed()).isTrue();
            assertThat(warnings).singleElement().satisfies(w -> assertThat(formatted(w))
                    .contains(name, failure.getMessage(), "the committed offsets"));
            assertThat(loop.isAlive()).isTrue();
        }
    }

    private static String formatted(LogRecord r) {
        Object[] params = r.getParameters();
        return params == null || params.length == 0 ? r.getMessage() : String.format(r.getMessage(), params);
    }

    @Test
    void closeWakesThePollingConsumerUpAndEndsTheThreadWellBeforeThePollTimeout() throws Exception {
        Broker broker = new Broker(true, "earliest");
        broker.append(P0, "a");
        ConsumerLoop.Settings slowPolls = group("loop-close").withPollTimeout(Duration.ofSeconds(60))
                .withCloseTimeout(Duration.ofSeconds(20));
        ConsumerLoop loop = loop(slowPolls, broker, ConsumerLoop.TopicSetup.NONE, null);
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.committed(P0) == 1); // now in a 60 s poll

        long start = System.nanoTime();
        loop.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(loop.isAlive()).isFalse();
        assertThat(loop.isRunning()).isFalse();
        assertThat(broker.consumers.getFirst().closed()).isTrue();
        assertThat(loop.failures()).isZero(); // the wakeup of a stop is no failure
    }

    @Test
    void closeReturnsWithinItsBoundEvenWhenTheSessionHoldsTheThread() throws Exception {
        Broker broker = new Broker(true, "earliest");
        broker.append(P0, "a");
        CountDownLatch inHandle = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConsumerLoop loop = new ConsumerLoop(group("loop-held").withCloseTimeout(Duration.ofMillis(300)),
                broker::newConsumer, ConsumerLoop.TopicSetup.NONE, consumer -> records -> {
                    if (!records.isEmpty()) {
                        inHandle.countDown();
                        release.await(); // a session that ignores isRunning()
                    }
                    return Map.of();
                });
        loop.start();
        assertThat(inHandle.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        loop.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
        assertThat(loop.isAlive()).isTrue();
        assertThat(warnings).anySatisfy(w -> assertThat(formatted(w)).contains("loop-held did not stop"));
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !loop.isAlive());
        assertThat(loop.failures()).isZero();
    }

    @Test
    void allPartitionsModeAssignsEveryPartitionWithoutAGroupAndSeeksToTheBeginning() throws Exception {
        // "latest": without the seek to the beginning, nothing already on the topics would be read
        Broker broker = new Broker(false, "latest");
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        TopicPartition other = new TopicPartition("test.other", 0);
        broker.append(P0, "a0", "a1");
        broker.append(p1, "b0");
        broker.append(other, "c0", "c1");
        ConsumerLoop.Settings settings = ConsumerLoop.Settings.allPartitions("loop-all", List.of(TOPIC, "test.other"))
                .withPollTimeout(Duration.ofMillis(50)).withBackoff(FAST);
        try (ConsumerLoop loop = loop(settings, broker, ConsumerLoop.TopicSetup.NONE, null)) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);

            TestConsumer consumer = broker.consumers.getFirst();
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, p1, other);
            assertThat(consumer.subscription()).isEmpty();
            assertThat(assigned).singleElement().satisfies(a -> assertThat(a).containsExactlyInAnyOrder(P0, p1, other));
            assertThat(handled).containsExactlyInAnyOrder("a0", "a1", "b0", "c0", "c1");
            assertThat(handled).containsSubsequence("a0", "a1").containsSubsequence("c0", "c1");
        }
    }

    @Test
    void topicsAreSetUpBeforeEachNewConsumerAndAFailureThereIsRetriedLikeAnyOther() throws Exception {
        Broker broker = new Broker(true, "earliest");
        broker.append(P0, "a");
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicBoolean brokerDown = new AtomicBoolean(true);
        ConsumerLoop.TopicSetup topics = () -> {
            events.add("topics");
            if (brokerDown.getAndSet(false)) {
                throw new java.util.concurrent.TimeoutException("simulated: broker unreachable");
            }
        };
        AtomicBoolean failed = new AtomicBoolean();
        try (ConsumerLoop loop = new ConsumerLoop(group("loop-topics"), () -> {
            events.add("consumer");
            return broker.newConsumer();
        }, topics, consumer -> new Recording(handled, assigned, null, failed))) {
            loop.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.committed(P0) == 1);

            assertThat(events).containsExactly("topics", "topics", "consumer");
            assertThat(loop.failures()).isEqualTo(1);
            assertThat(warnings).singleElement().satisfies(w -> assertThat(formatted(w)).contains("broker unreachable"));
        }
    }

    @Test
    void backoffDoublesFromTheFirstWaitUpToItsBound() {
        ConsumerLoop.Backoff b = ConsumerLoop.Backoff.DEFAULT;
        assertThat(b.after(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.after(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.after(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.after(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.after(1_000)).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> new ConsumerLoop.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("PT1S");
        assertThatThrownBy(() -> ConsumerLoop.Settings.group("x", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[]");
    }
}
