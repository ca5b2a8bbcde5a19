package dev.realitycheck.evaluation.results;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads {@code realitycheck.evaluations} from the beginning into the {@link EvaluationStore}, and
 * keeps following it: the store (and so Get/List/Watch and the leaderboard) shows every replica's
 * results, survives restarts, and collapses re-delivered results by their deterministic ids. A plain
 * class (no CDI); {@link ResultsLifecycle} runs it in the service.
 */
final class ResultsFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ResultsFollower.class);

    private final String bootstrapServers;
    private final EvaluationStore store;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param store            where every result read goes
     */
    ResultsFollower(String bootstrapServers, EvaluationStore store) {
        this.bootstrapServers = bootstrapServers;
        this.store = store;
    }

    /** Starts following on a daemon thread of its own. */
    void start() {
        running = true;
        thread = new Thread(this::run, "results-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops following and waits up to 30 s for the thread. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                    KafkaSettings.consumer(bootstrapServers, null, "evaluation-results-follower"))) {
                consumer = c;
                List<PartitionInfo> partitions = c.partitionsFor(Topics.EVALUATIONS, Duration.ofSeconds(10));
                if (partitions == null || partitions.isEmpty()) {
                    continue; // not created yet: the pipeline creates it
                }
                List<TopicPartition> assigned = partitions.stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(assigned);
                c.seekToBeginning(assigned);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                        try {
                            store.add(EvaluationResult.parseFrom(r.value()));
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warnf("skipping an unparseable record at %s[%d]@%d: %s", r.topic(), r.partition(),
                                    r.offset(), e.getMessage());
                        }
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("results follower restarts after: %s", e.toString());
                }
            } finally {
                consumer = null;
            }
        }
    }
}
