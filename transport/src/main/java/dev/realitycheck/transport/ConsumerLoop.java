package dev.realitycheck.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

/**
 * The Kafka poll loop every consuming service runs, once: a named daemon thread that creates the
 * missing topics ({@link TopicSetup}), creates a consumer, opens the owner's {@link Session} on it,
 * and polls until {@link #close()}, handing each poll's records to the session and committing the
 * offsets it returns.
 *
 * <p>Two modes ({@link Mode}): {@link Mode#GROUP} subscribes in a consumer group (the session is the
 * rebalance listener; offsets are committed as the session says, so a new consumer resumes from the
 * committed offsets); {@link Mode#ALL_PARTITIONS_FROM_BEGINNING} assigns every partition of the topics
 * and seeks to the beginning, without a group (each replica reads everything; nothing is committed).
 *
 * <p><b>One failure policy.</b> Any {@link Throwable} thrown while setting up the topics, creating or
 * polling the consumer, handling records or committing &mdash; an {@link Exception} and an
 * {@link Error} alike &mdash; is logged (one WARN line naming the loop and the cause; the stack trace
 * at DEBUG) and counted ({@link #failures()}); the session and the consumer are closed without
 * committing, and after a backoff a new consumer starts again from the committed offsets (group mode)
 * or from the beginning. The backoff is bounded exponential ({@link Backoff#DEFAULT}: 0.5 s, doubled
 * after each consecutive failure, at most 10 s) and starts over once a poll has been handled and
 * committed. Only a stop ends the thread: {@link #close()} (whatever is thrown while stopping is not a
 * failure), or an interrupt of the loop's thread.
 *
 * <p>{@link #close()} wakes the consumer up and waits for the thread at most
 * {@link Settings#closeTimeout()} ({@link #DEFAULT_CLOSE_TIMEOUT} unless configured): a session that
 * holds the thread (a training run) should watch {@link #isRunning()} to stop in time.
 */
public final class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);

    /** How long {@link #close()} waits for the thread unless configured otherwise. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** The longest wait for records in one poll unless configured otherwise. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);

    /** Longest wait for a commit, and for a topic's partitions in {@link Mode#ALL_PARTITIONS_FROM_BEGINNING}. */
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    /** How the loop's consumer reads its topics. */
    public enum Mode {
        /** Subscribe in the consumer group of the consumer's settings; commit what the session returns. */
        GROUP,
        /** No group: assign every partition of the topics and seek to the beginning; commit nothing. */
        ALL_PARTITIONS_FROM_BEGINNING
    }

    /**
     * What the loop runs.
     *
     * @param name         the loop's name: its thread's name and the subject of its log lines
     * @param mode         group or all partitions from the beginning
     * @param topics       the topics read, at least one
     * @param pollTimeout  longest wait for records in one poll, positive
     * @param closeTimeout longest wait for the thread in {@link #close()}, positive
     * @param backoff      the wait before a new consumer after a failure
     */
    public record Settings(String name, Mode mode, List<String> topics, Duration pollTimeout, Duration closeTimeout,
                           Backoff backoff) {

        /** Validates every value, naming the bad one. */
        public Settings {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            Objects.requireNonNull(mode, "mode");
            if (topics == null || topics.isEmpty()) {
                throw new IllegalArgumentException("loop " + name + " needs at least one topic, got " + topics);
            }
            topics = List.copyOf(topics);
            requirePositive("pollTimeout", pollTimeout);
            requirePositive("closeTimeout", closeTimeout);
            Objects.requireNonNull(backoff, "backoff");
        }

        /** A group consumer of {@code topics} with the default timeouts and backoff. */
        public static Settings group(String name, List<String> topics) {
            return new Settings(name, Mode.GROUP, topics, DEFAULT_POLL_TIMEOUT, DEFAULT_CLOSE_TIMEOUT, Backoff.DEFAULT);
        }

        /** Every partition of {@code topics} from the beginning, with the default timeouts and backoff. */
        public static Settings allPartitions(String name, List<String> topics) {
            return new Settings(name, Mode.ALL_PARTITIONS_FROM_BEGINNING, topics, DEFAULT_POLL_TIMEOUT,
                    DEFAULT_CLOSE_TIMEOUT, Backoff.DEFAULT);
        }

        /** The same with another poll timeout. */
        public Settings withPollTimeout(Duration timeout) {
            return new Settings(name, mode, topics, timeout, closeTimeout, backoff);
        }

        /** The same with another close timeout. */
        public Settings withCloseTimeout(Duration timeout) {
            return new Settings(name, mode, topics, pollTimeout, timeout, backoff);
        }

        /** The same with another backoff. */
        public Settings withBackoff(Backoff other) {
            return new Settings(name, mode, topics, pollTimeout, closeTimeout, other);
        }
    }

    /**
     * Bounded exponential backoff: {@code first} after one failure, doubled after each further
     * consecutive failure, never more than {@code max}.
     *
     * @param first the first wait, positive
     * @param max   the longest wait, at least {@code first}
     */
    public record Backoff(Duration first, Duration max) {

        /** 0.5 s, 1 s, 2 s, ... at most 10 s: what every loop used before. */
        public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

        /** Validates both waits, naming the bad one. */
        public Backoff {
            requirePositive("first", first);
            Objects.requireNonNull(max, "max");
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max backoff " + max + " is shorter than the first " + first);
            }
        }

        /** The wait after {@code consecutiveFailures} (>= 1) failures in a row. */
        public Duration after(int consecutiveFailures) {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("consecutiveFailures must be >= 1, was " + consecutiveFailures);
            }
            Duration wait = first;
            for (int i = 1; i < consecutiveFailures && wait.compareTo(max) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(max) > 0 ? max : wait;
        }
    }

    /**
     * The owner's handling of one consumer's records, opened by the {@link Handler} for each new
     * consumer and closed (without a commit) when that consumer is dropped. In {@link Mode#GROUP} it
     * is the consumer's rebalance listener; in {@link Mode#ALL_PARTITIONS_FROM_BEGINNING}
     * {@link #onPartitionsAssigned} is called once with every partition, after the seek to the beginning.
     */
    public interface Session extends ConsumerRebalanceListener, AutoCloseable {

        /**
         * Handles the records of one poll (possibly none), on the loop's thread.
         *
         * @return the offsets to commit now (each the offset of the next record to read), empty for none;
         *         always empty in {@link Mode#ALL_PARTITIONS_FROM_BEGINNING}
         * @throws Exception anything: a failure of the loop (see the policy in {@link ConsumerLoop})
         */
        Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception;

        @Override
        default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        /** Releases what the session opened (producers, assemblers); nothing is committed here. */
        @Override
        default void close() throws Exception {
        }
    }

    /** Opens a {@link Session} for each new consumer (on the loop's thread, before it reads anything). */
    @FunctionalInterface
    public interface Handler {
        /** The session for {@code consumer} (not yet subscribed or assigned); throwing is a failure of the loop. */
        Session open(Consumer<byte[], byte[]> consumer) throws Exception;
    }

    /** Creates missing topics; run before each new consumer, so a failure there is retried like any other. */
    @FunctionalInterface
    public interface TopicSetup {

        /** Nothing to create: the topics are someone else's. */
        TopicSetup NONE = () -> {
        };

        /** Creates what is missing; throwing is a failure of the loop (retried after the backoff). */
        void ensure() throws Exception;

        /** Creates the missing ones of {@code topics} through {@link TopicAdmin}. */
        static TopicSetup create(String bootstrapServers, Collection<String> topics, int partitions, short replication) {
            List<String> names = List.copyOf(topics);
            return () -> {
                try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
                    TopicAdmin.ensureTopics(admin, names, partitions, replication);
                }
            };
        }
    }

    private final Settings settings;
    private final Supplier<? extends Consumer<byte[], byte[]>> consumers;
    private final TopicSetup topics;
    private final Handler handler;
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean running;
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;
    /** Failures since the last handled poll; the loop's thread only. */
    private int consecutiveFailures;

    /**
     * @param settings  what the loop reads and its timeouts
     * @param consumers creates each new consumer (a {@code KafkaConsumer} with manual commits; a
     *                  {@code MockConsumer} in tests)
     * @param topics    creates missing topics before each new consumer
     * @param handler   opens the session that handles the records of each new consumer
     */
    public ConsumerLoop(Settings settings, Supplier<? extends Consumer<byte[], byte[]>> consumers, TopicSetup topics,
                        Handler handler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.consumers = Objects.requireNonNull(consumers, "consumers");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Starts the loop on a daemon thread named after it; once only. */
    public synchronized void start() {
        if (thread != null || stop.getCount() == 0) {
            throw new IllegalStateException("loop " + settings.name() + " was already started or closed");
        }
        running = true;
        thread = new Thread(this::run, settings.name());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops: wakes the consumer up, abandons the work in progress uncommitted, and waits for the
     * thread at most {@link Settings#closeTimeout()} (a WARN line if it is still running then).
     */
    @Override
    public synchronized void close() throws InterruptedException {
        running = false;
        stop.countDown();
        Consumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(settings.closeTimeout().toMillis());
            if (thread.isAlive()) {
                LOG.warnf("%s did not stop within %d s", settings.name(), settings.closeTimeout().toSeconds());
            }
        }
    }

    /** True from {@link #start()} until {@link #close()}: what a long-running session watches to stop in time. */
    public boolean isRunning() {
        return running;
    }

    /** True while the loop's thread lives. */
    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Failures so far (each one dropped the consumer; see the policy above). */
    public long failures() {
        return failures.get();
    }

    /** The loop's name. */
    public String name() {
        return settings.name();
    }

    private void run() {
        while (running) {
            try {
                topics.ensure();
                consume();
            } catch (Throwable t) {
                if (!running) {
                    break; // thrown by the stop itself (a wakeup, a closed client): not a failure
                }
                if (t instanceof InterruptedException || t instanceof InterruptException) {
                    Thread.currentThread().interrupt();
                    LOG.infof("%s stops: its thread was interrupted", settings.name());
                    break;
                }
                if (!backOffAfter(t)) {
                    break;
                }
            }
        }
    }

    /** Logs and counts a failure, then waits; false when stopped while waiting. */
    private boolean backOffAfter(Throwable t) {
        long count = failures.incrementAndGet();
        consecutiveFailures++;
        Duration wait = settings.backoff().after(consecutiveFailures);
        LOG.warnf("%s failed (%d so far) and drops its consumer; a new one starts from %s in %d ms: %s",
                settings.name(), count, settings.mode() == Mode.GROUP ? "the committed offsets" : "the beginning",
                wait.toMillis(), t);
        LOG.debugf(t, "%s failure", settings.name());
        try {
            return !stop.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void consume() throws Exception {
        try (Consumer<byte[], byte[]> c = consumers.get()) {
            consumer = c;
            if (!running) {
                return; // closed before the consumer could be woken up
            }
            try (Session session = handler.open(c)) {
                attach(c, session);
                while (running) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(settings.pollTimeout());
                    Map<TopicPartition, OffsetAndMetadata> offsets = session.handle(records);
                    if (!offsets.isEmpty()) {
                        c.commitSync(offsets, BROKER_TIMEOUT);
                    }
                    consecutiveFailures = 0;
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void attach(Consumer<byte[], byte[]> c, Session session) {
        if (settings.mode() == Mode.GROUP) {
            c.subscribe(settings.topics(), session);
            return;
        }
        List<TopicPartition> partitions = assignAllFromBeginning(c, settings.topics());
        LOG.infof("%s reads %s from the beginning (%d partitions)", settings.name(), settings.topics(), partitions.size());
        session.onPartitionsAssigned(partitions);
    }

    /**
     * Assigns {@code c} every partition of {@code topics} (no group) and seeks to the beginning: how
     * a replica reads a whole topic. Throws when a topic has no partitions (it does not exist yet).
     *
     * @return the partitions assigned
     */
    public static List<TopicPartition> assignAllFromBeginning(Consumer<byte[], byte[]> c, Collection<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = c.partitionsFor(topic, BROKER_TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (yet)");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return partitions;
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }
}
