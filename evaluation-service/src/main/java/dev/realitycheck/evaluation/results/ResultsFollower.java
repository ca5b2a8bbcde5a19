package dev.realitycheck.evaluation.results;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * Reads {@code realitycheck.evaluations} from the beginning into the {@link EvaluationStore}, and
 * keeps following it: the store (and so Get/List/Watch and the leaderboard) shows every replica's
 * results, survives restarts, and collapses re-delivered results by their deterministic ids. It runs
 * on the one {@link ConsumerLoop} (every partition from the beginning; failures retried after its
 * backoff); a record that is no {@code EvaluationResult} is logged and skipped. A plain class (no
 * CDI); {@link ResultsLifecycle} runs it in the service.
 */
final class ResultsFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultsFollower.class);

    private final ConsumerLoop loop;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param store            where every result read goes
     */
    ResultsFollower(String bootstrapServers, EvaluationStore store) {
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("results-follower", List.of(Topics.EVALUATIONS)),
                () -> new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, "evaluation-results-follower")),
                ConsumerLoop.TopicSetup.NONE,
                consumer -> records -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        try {
                            store.add(EvaluationResult.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warnf("skipping an unparseable record at %s[%d]@%d: %s", r.topic(), r.partition(),
                                    r.offset(), e.getMessage());
                        }
                    }
                    return Map.of();
                });
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
