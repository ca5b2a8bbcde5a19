package dev.realitycheck.trainer.training;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.trainer.TrainerDevice;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.GroupProtocols;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The trainer loop: consumes {@code realitycheck.runs} in one consumer group shared by every
 * trainer replica, trains one record (= one run) at a time with a {@link RunTrainer}, and commits the
 * run's offset only once it succeeded, failed (bad settings, unreadable dataset: retrying cannot help)
 * or was cancelled. A poll fetches up to {@value #MAX_POLL_RECORDS} runs: those that need no work
 * (cancelled while queued, already done, unreadable) are skipped in one pass with one flush and one
 * commit, so a large cancelled experiment does not delay the next one; after a run that was trained
 * the rest of the poll is fetched again by the next poll (one trained run per poll). A run whose pod dies, or that is
 * interrupted by a shutdown or a broker failure, stays uncommitted and is redelivered — to this
 * pod, which resumes it from its latest local checkpoint, or to another one, which starts it
 * again (see {@link RunTrainer}).
 *
 * <p>Training holds the consumer thread, so {@code max.poll.interval.ms} is the longest run
 * ({@link Settings#maxRunDuration()}). It runs on a {@link ConsumerLoop} (group mode), whose one
 * policy applies to any failure, an {@code Error} included: logged, counted, the consumer dropped and
 * the uncommitted run redelivered after a backoff. A plain class (no CDI) so tests can run it against
 * a real broker; {@link TrainerLifecycle} starts and stops it in the service.
 */
public final class TrainerLoop implements AutoCloseable {

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param consumerGroup    group shared by the replicas
     * @param runsTopic        the runs topic, {@link Topics#RUNS} (another in tests)
     * @param maxRunDuration   longest run (max.poll.interval.ms)
     * @param topicPartitions  partitions of topics created when missing
     * @param topicReplication replication of topics created when missing
     */
    public record Settings(String bootstrapServers, String consumerGroup, String runsTopic, Duration maxRunDuration, int topicPartitions,
                           short topicReplication) {
    }

    private static final Logger LOG = Logger.getLogger(TrainerLoop.class);

    /**
     * Longer than {@link ConsumerLoop#DEFAULT_CLOSE_TIMEOUT}: close waits for the run in progress to
     * stop at its next training iteration.
     */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    /** Runs fetched per poll: how many queued runs that need no work are skipped in one pass. */
    static final int MAX_POLL_RECORDS = 500;

    /** What became of one record. */
    private enum Handled {
        /** Nothing to do (cancelled while queued, already done here, not a RunSpec): committed with the next. */
        SKIPPED,
        /** Trained: succeeded, failed, stopped early or cancelled while running. */
        TRAINED,
        /** Interrupted: stays uncommitted and is redelivered. */
        INTERRUPTED
    }

    private final Settings settings;
    private final RunStore store;
    private final Function<CheckpointPublisher, RunTrainer> trainers;
    private final ConsumerLoop loop;
    /** Whether the training device was logged; the loop's thread only. */
    private boolean deviceLogged;

    /**
     * @param settings the settings
     * @param store    runs and their progress
     * @param trainers makes the run trainer, given the checkpoint publisher of the loop's producer
     */
    public TrainerLoop(Settings settings, RunStore store, Function<CheckpointPublisher, RunTrainer> trainers) {
        this.settings = settings;
        this.store = store;
        this.trainers = trainers;
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.group("trainer-loop", List.of(settings.runsTopic()))
                .withCloseTimeout(CLOSE_TIMEOUT), this::newConsumer,
                ConsumerLoop.TopicSetup.create(settings.bootstrapServers(), Topics.ALL, settings.topicPartitions(),
                        settings.topicReplication()), Session::new);
    }

    /** Starts consuming on a thread of its own. */
    public void start() {
        loop.start();
    }

    /** Stops: a run in progress stops at its next iteration, uncommitted; waits up to 60 s. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Properties props = KafkaSettings.consumer(settings.bootstrapServers(), settings.consumerGroup(), "trainer-runs");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        // KIP-848 rebalances where the cluster offers them (Kafka 4.0+): a pod joining gets unassigned
        // partitions without waiting for the pods that are busy training (the classic protocol, the
        // fallback on older clusters, stalls the whole group until they poll)
        GroupProtocols.useBest(props, settings.bootstrapServers());
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Long.toString(Math.min(Integer.MAX_VALUE, settings.maxRunDuration().toMillis())));
        return new KafkaConsumer<>(props);
    }

    /** One consumer's work: its producer (for checkpoints) and the run trainer publishing through it. */
    private final class Session implements ConsumerLoop.Session {
        private final Consumer<byte[], byte[]> consumer;
        private final Producer<String, byte[]> producer;
        private final RunTrainer trainer;

        Session(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
            if (!deviceLogged) {
                TrainerDevice.log();
                deviceLogged = true;
            }
            this.producer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(), "trainer-checkpoints"));
            this.trainer = trainers.apply(new CheckpointPublisher(producer));
        }

        /**
         * Skips the records that need no work and trains the first run that does; returns the offsets
         * done with (committed by the loop). Records after a trained or interrupted run are fetched
         * again by the next poll (the consumer seeks back to them): one trained run per poll, so
         * {@code max.poll.interval.ms} still bounds one run, and an interrupted run stays uncommitted.
         */
        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws IOException {
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            Map<TopicPartition, Long> rewind = new HashMap<>();
            boolean stop = false;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition partition = new TopicPartition(r.topic(), r.partition());
                if (stop) {
                    rewind.putIfAbsent(partition, r.offset());
                    continue;
                }
                Handled handled = TrainerLoop.this.handle(r, trainer);
                if (handled == Handled.INTERRUPTED) {
                    rewind.putIfAbsent(partition, r.offset()); // uncommitted, redelivered
                    stop = true;
                    continue;
                }
                done.put(partition, new OffsetAndMetadata(r.offset() + 1));
                stop = handled == Handled.TRAINED;
            }
            rewind.forEach(consumer::seek);
            store.flushEvents(); // the runs' final events are on the broker before the runs are acknowledged
            return done;
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Trains one record's run, or skips it when there is nothing to do. */
    private Handled handle(ConsumerRecord<byte[], byte[]> r, RunTrainer trainer) throws IOException {
        RunSpec run;
        try {
            run = RunSpec.parseFrom(r.value());
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            LOG.errorf("skipping a record of %s (partition %d, offset %d) that is not a RunSpec: %s", r.topic(),
                    r.partition(), r.offset(), e.toString());
            return Handled.SKIPPED;
        }
        store.register(run);
        if (store.cancelRequested(run.getRunId())) {
            LOG.debugf("run %s was cancelled while queued: skipped", run.getRunId());
            store.finished(run.getRunId(), RunState.RUN_STATE_CANCELLED, null);
            return Handled.SKIPPED;
        }
        if (store.run(run.getRunId()).map(x -> RunStore.isTerminal(x.getState())).orElse(false)) {
            LOG.debugf("run %s is already done here: skipped", run.getRunId());
            return Handled.SKIPPED;
        }
        try {
            RunTrainer.Outcome outcome = trainer.train(run, () -> !loop.isRunning());
            switch (outcome) {
                case SUCCEEDED -> store.finished(run.getRunId(), RunState.RUN_STATE_SUCCEEDED, null);
                case STOPPED_EARLY -> store.finished(run.getRunId(), RunState.RUN_STATE_SUCCEEDED, null, true);
                case CANCELLED -> store.finished(run.getRunId(), RunState.RUN_STATE_CANCELLED, "cancelled while running");
                case INTERRUPTED -> {
                    return Handled.INTERRUPTED;
                }
            }
            LOG.infof("run %s %s", run.getRunId(), outcome);
            return Handled.TRAINED;
        } catch (RunTrainer.PublishException e) {
            throw e; // broker trouble: redelivered, resumes from the local checkpoint
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "run %s failed", run.getRunId());
            store.finished(run.getRunId(), RunState.RUN_STATE_FAILED, e.getMessage());
            return Handled.TRAINED;
        }
    }
}
