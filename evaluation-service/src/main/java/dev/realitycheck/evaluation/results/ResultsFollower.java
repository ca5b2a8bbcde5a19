package dev.realitycheck.evaluation.results;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.DeadLetterFactory;
import dev.realitycheck.transport.DeadLetterPublisher;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * Reads {@code realitycheck.evaluations} from the beginning into the {@link EvaluationStore}, and
 * keeps following it: the store (and so Get/List/Watch and the leaderboard) shows every replica's
 * results, survives restarts, and collapses re-delivered results by their deterministic ids. It runs
 * on the one {@link ConsumerLoop} (every partition from the beginning; failures retried after its
 * backoff); a record that is no {@code EvaluationResult} is logged and skipped. With a verifier, a
 * result not signed by a trusted key ({@link RecordSignatures}) never reaches the store: it is
 * dead-lettered (reason {@code SIGNATURE}), once per record however often the topic is read again
 * ({@link DeadLetterPublisher#parkedBy}). A plain class (no CDI); {@link ResultsLifecycle} runs it in
 * the service.
 */
final class ResultsFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultsFollower.class);

    /** The consumer named in this follower's dead letters. */
    static final String CONSUMER = "evaluation-results-follower";

    private final ConsumerLoop loop;
    private final DeadLetterFactory letters = new DeadLetterFactory(CONSUMER);
    /** Letters parked so far, read back once at the first session. */
    private volatile Set<String> parked;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param store            where every result read goes
     * @param verifier         checks each result's signature; null: every result is believed
     */
    ResultsFollower(String bootstrapServers, EvaluationStore store, RecordSignatures.Verifier verifier) {
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("results-follower", List.of(Topics.EVALUATIONS)),
                () -> new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, CONSUMER)),
                ConsumerLoop.TopicSetup.NONE,
                consumer -> {
                    if (verifier == null) {
                        return records -> {
                            records.forEach(r -> add(store, r));
                            return Map.of();
                        };
                    }
                    if (parked == null) {
                        parked = DeadLetterPublisher.parkedBy(bootstrapServers, CONSUMER, Duration.ofSeconds(30));
                    }
                    Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrapServers,
                            CONSUMER + "-dead-letters"));
                    DeadLetterPublisher deadLetters = new DeadLetterPublisher(producer, parked);
                    return new ConsumerLoop.Session() {
                        @Override
                        public Map<TopicPartition, OffsetAndMetadata> handle(ConsumerRecords<byte[], byte[]> records) {
                            for (ConsumerRecord<byte[], byte[]> r : records) {
                                Optional<String> bad = verifier.problem(r);
                                if (bad.isPresent()) {
                                    deadLetters.publish(letters.of(r, DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE,
                                            "evaluation result not accepted: " + bad.get()));
                                } else {
                                    add(store, r);
                                }
                            }
                            return Map.of();
                        }

                        @Override
                        public void close() {
                            producer.close();
                        }
                    };
                });
    }

    private static void add(EvaluationStore store, ConsumerRecord<byte[], byte[]> r) {
                        try {
                            store.add(EvaluationResult.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warnf("skipping an unparseable record at %s[%d]@%d: %s", r.topic(), r.partition(),
                                    r.offset(), e.getMessage());
                        }
    }

    /** Starts following on a daemon thread of its own. */
    void start() {
        loop.start();
    }

    /** Stops following and waits for the thread (bounded by the loop's close timeout). */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
