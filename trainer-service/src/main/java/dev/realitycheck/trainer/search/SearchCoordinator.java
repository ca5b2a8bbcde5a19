package dev.realitycheck.trainer.search;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.GroupProtocols;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicCatchUp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Drives the hyperparameter searches of every experiment (docs/architecture.md, "The protocol's rules", point 6). One
 * trainer pod at a time is the coordinator: the one its consumer group assigns the single
 * partition of {@code realitycheck.experiments} to. The owner reads every
 * {@link ExperimentRecord} from the beginning (the topic is compacted), and for each loss with a
 * {@code search} runs a {@link LossSearch}: it publishes trial runs on {@code realitycheck.runs}
 * (trainer pods train them in parallel, at most {@link Settings#maxTrialsInFlight()} trials per
 * loss at once), reads each run's outcome from {@code realitycheck.run-events}, and, after the
 * last trial, publishes the reproductions of the best configuration.
 *
 * <p>It keeps nothing that Kafka does not: a new owner (after a restart, a crash or a rebalance)
 * reads the runs and run events topics from the beginning up to their end at the time it took
 * over before deciding anything, and since trial values are read back from the published
 * {@code RunSpec}s, run ids are deterministic and the optimiser is deterministic for its seed, it
 * continues the search without publishing any run twice. It runs on a {@link ConsumerLoop} (group
 * mode, nothing committed), whose one policy applies to any failure, an {@code Error} included:
 * logged, counted, and the state rebuilt from Kafka by a new consumer after a backoff. A plain class
 * (no CDI) so tests run it against a real broker; {@link SearchLifecycle} starts and stops it in the service.
 */
public final class SearchCoordinator implements AutoCloseable {

    /**
     * @param bootstrapServers  Kafka bootstrap servers
     * @param consumerGroup     group whose single assignee of the experiments topic coordinates
     * @param experimentsTopic  {@code ExperimentRecord}s, one partition
     * @param runsTopic         where trials and reproductions are published (and read back)
     * @param runEventsTopic    {@code RunEvent}s of the trainer pods
     * @param deadLettersTopic  where unreadable experiment records go
     * @param maxTrialsInFlight most trials of one search running at once, >= 1
     * @param pollTimeout       longest wait for new records in one poll
     * @param catchUpTimeout    longest time a new owner may take to read the topics to their end
     * @param publishTimeout    longest wait for the broker to acknowledge published runs
     */
    public record Settings(String bootstrapServers, String consumerGroup, String experimentsTopic, String runsTopic,
                           String runEventsTopic, String deadLettersTopic, int maxTrialsInFlight, Duration pollTimeout,
                           Duration catchUpTimeout, Duration publishTimeout) {

        /** Validates the numbers, naming the bad one. */
        public Settings {
            if (maxTrialsInFlight < 1) {
                throw new IllegalArgumentException("maxTrialsInFlight must be >= 1, was " + maxTrialsInFlight);
            }
            if (pollTimeout.isNegative() || pollTimeout.isZero()) {
                throw new IllegalArgumentException("pollTimeout must be positive, was " + pollTimeout);
            }
        }
    }

    private static final Logger LOG = Logger.getLogger(SearchCoordinator.class);

    private final Settings settings;
    private final ToIntFunction<dev.realitycheck.proto.v1.ExperimentSpec> foldCounts;
    private final DeadLetterFactory letters;
    private final ConsumerLoop loop;
    private volatile boolean owner;

    // state rebuilt from Kafka, touched by the coordinator thread only
    private final Map<String, ExperimentRecord> experiments = new LinkedHashMap<>();
    private final Map<String, LossSearch> searches = new LinkedHashMap<>();
    private final Map<String, RunSpec> published = new HashMap<>();
    private final Map<String, RunEvent> events = new HashMap<>();
    private final Map<String, Boolean> completed = new HashMap<>();
    private boolean catchUpNeeded;

    /**
     * @param settings   the settings
     * @param foldCounts K of an experiment (its {@code dataset.split.folds}, or the default for its dataset)
     */
    public SearchCoordinator(Settings settings, ToIntFunction<dev.realitycheck.proto.v1.ExperimentSpec> foldCounts) {
        this.settings = settings;
        this.foldCounts = foldCounts;
        this.letters = new DeadLetterFactory(settings.consumerGroup());
        // no topic setup: the experiments topic must be created compacted with one partition, by its owner
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.group("search-coordinator", List.of(settings.experimentsTopic()))
                .withPollTimeout(settings.pollTimeout()), () -> new KafkaConsumer<>(consumerSettings(settings.consumerGroup(),
                "search-owner")), ConsumerLoop.TopicSetup.NONE, Session::new);
    }

    /** Starts on a thread of its own. */
    public void start() {
        loop.start();
    }

    /** True while this instance owns the experiments partition. */
    public boolean isOwner() {
        return owner;
    }

    /** Stops and leaves the group (another pod takes over); waits up to 30 s. */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }

    private Properties consumerSettings(String group, String clientId) {
        Properties props = KafkaSettings.consumer(settings.bootstrapServers(), group, clientId);
        if (group != null) {
            GroupProtocols.useBest(props, settings.bootstrapServers());
        }
        // never let a metadata request create a topic with broker defaults (the experiments topic
        // must be compacted with one partition): wait for whoever creates them properly
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    /**
     * One ownership consumer's work: a reader of the runs and run-events topics (every partition from
     * the beginning), the producer of trials, and the search state rebuilt from both.
     */
    private final class Session implements ConsumerLoop.Session {
        private final Consumer<byte[], byte[]> ownerConsumer;
        private final KafkaConsumer<byte[], byte[]> reader;
        private final Producer<String, byte[]> producer;
        private final DeadLetterPublisher deadLetters;
        private final List<TopicPartition> readPartitions;

        Session(Consumer<byte[], byte[]> ownerConsumer) {
            this.ownerConsumer = ownerConsumer;
            this.reader = new KafkaConsumer<>(consumerSettings(null, "search-reader"));
            try {
                this.producer = new KafkaProducer<>(KafkaSettings.producer(settings.bootstrapServers(), "search-coordinator"));
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
            try {
                reset();
                this.readPartitions = ConsumerLoop.assignAllFromBeginning(reader,
                        List.of(settings.runsTopic(), settings.runEventsTopic()));
                this.deadLetters = new DeadLetterPublisher(producer, settings.deadLettersTopic());
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                experiment(r, deadLetters);
            }
            if (!owner) {
                drain(reader, Duration.ZERO);
                return Map.of();
            }
            if (catchUpNeeded) {
                catchUp(reader, readPartitions);
                catchUpNeeded = false;
            } else {
                drain(reader, settings.pollTimeout());
            }
            advance(producer);
            return Map.of(); // nothing committed: a new owner reads the experiments from the beginning
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(partitions); // also what a lost partition leads to (the listener's default)
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                ownerConsumer.seekToBeginning(partitions);
                experiments.clear();
                searches.clear();
                completed.clear();
                catchUpNeeded = true;
                owner = true;
                LOG.infof("this pod now coordinates the hyperparameter searches (%s)", partitions);
            }
        }

        @Override
        public void close() {
            owner = false;
            try {
                reader.close();
            } finally {
                producer.close();
            }
        }
    }

    private void lose(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty() && owner) {
            owner = false;
            LOG.infof("this pod no longer coordinates the hyperparameter searches (%s)", partitions);
        }
    }

    private void reset() {
        experiments.clear();
        searches.clear();
        published.clear();
        events.clear();
        completed.clear();
        owner = false;
    }

    /** Reads the runs and events topics up to their end as of now. */
    private void catchUp(KafkaConsumer<byte[], byte[]> reader, List<TopicPartition> partitions) {
        try {
            TopicCatchUp.readToEnd(reader, partitions, settings.catchUpTimeout(), settings.pollTimeout(), this::apply);
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not read " + settings.runsTopic() + " and "
                    + settings.runEventsTopic() + " to their end within " + settings.catchUpTimeout(), e);
        }
        LOG.infof("search state rebuilt from Kafka: %d runs published, %d run events", published.size(), events.size());
    }

    private void drain(KafkaConsumer<byte[], byte[]> reader, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(timeout)) {
            apply(r);
        }
    }

    /** Takes one record of the runs or run-events topic into the search state; an unreadable one is skipped. */
    private void apply(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(settings.runsTopic())) {
                RunSpec run = RunSpec.parseFrom(r.value());
                published.put(run.getRunId(), run);
            } else {
                RunEvent event = RunEvent.parseFrom(r.value());
                String runId = event.getSpec().getRunId().isEmpty() && r.key() != null
                        ? new String(r.key(), StandardCharsets.UTF_8) : event.getSpec().getRunId();
                events.put(runId, event);
            }
        } catch (InvalidProtocolBufferException | NullPointerException e) {
            // the topic's own consumers dead-letter it; here it is only skipped
            LOG.warnf("search coordinator skips an unreadable record of %s[%d]@%d: %s", r.topic(), r.partition(),
                    r.offset(), e.toString());
        }
    }

    private void experiment(ConsumerRecord<byte[], byte[]> r, DeadLetterPublisher deadLetters) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            experiments.remove(key); // a tombstone: the experiment was deleted
            searches.keySet().removeIf(k -> k.startsWith(key + "/"));
            return;
        }
        ExperimentRecord record;
        try {
            record = ExperimentRecord.parseFrom(r.value());
        } catch (InvalidProtocolBufferException e) {
            deadLetters.publish(letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE,
                    "not an ExperimentRecord: " + e.getMessage()));
            return;
        }
        if (record.getExperimentId().isEmpty() || !record.hasSpec()) {
            deadLetters.publish(letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_INVALID,
                    "ExperimentRecord without experiment_id or spec"));
            return;
        }
        experiments.put(record.getExperimentId(), record);
        int foldCount;
        try {
            foldCount = foldCounts.applyAsInt(record.getSpec());
        } catch (RuntimeException e) {
            deadLetters.publish(letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_INVALID,
                    "fold count of experiment " + record.getExperimentId() + " unknown: " + e.getMessage()));
            return;
        }
        for (LossConfig loss : record.getSpec().getLossesList()) {
            if (loss.hasSearch()) {
                String id = record.getExperimentId() + "/" + RunPlanner.label(loss);
                searches.putIfAbsent(id, new LossSearch(record.getExperimentId(), record.getSpec(), loss, foldCount,
                        settings.maxTrialsInFlight()));
            }
        }
    }

    private void advance(Producer<String, byte[]> producer) throws Exception {
        Instant t = Instant.now();
        Timestamp now = Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
        for (Map.Entry<String, LossSearch> e : searches.entrySet()) {
            if (completed.getOrDefault(e.getKey(), false)) {
                continue;
            }
            LossSearch.Plan plan = e.getValue().step(published, events, now);
            publish(producer, plan.publish());
            if (!plan.publish().isEmpty()) {
                LOG.infof("search %s: published %d runs (%d trials known)", e.getKey(), plan.publish().size(),
                        plan.trials().size());
            }
            if (plan.complete()) {
                completed.put(e.getKey(), true);
                if (plan.best().isPresent()) {
                    LOG.infof("search %s finished: best trial %d %s, mean validation MAP@R %.4f; reproductions queued",
                            e.getKey(), plan.best().get().trial(), plan.best().get().values(),
                            plan.best().get().objective().orElseThrow());
                } else {
                    LOG.errorf("search %s finished without a single successful trial: nothing to reproduce", e.getKey());
                }
            }
        }
    }

    private void publish(Producer<String, byte[]> producer, List<RunSpec> runs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (RunSpec run : runs) {
            acks.add(producer.send(new ProducerRecord<>(settings.runsTopic(), run.getRunId(), run.toByteArray())));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(settings.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        for (RunSpec run : runs) {
            published.put(run.getRunId(), run);
        }
    }
}
