package dev.realitycheck.evaluation.experiments;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.KafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * Reads the experiments and run-events topics from the beginning into the {@link ExperimentCatalog}
 * and keeps following them, on the one {@link ConsumerLoop} (every partition, no group; failures,
 * topics that do not exist yet included, retried after its backoff). The topics are the trainers':
 * nothing is created here. A record that does not parse is logged and skipped. A plain class (no
 * CDI); {@link ExperimentsLifecycle} runs it in the service.
 */
public final class ExperimentFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExperimentFollower.class);

    private final ConsumerLoop loop;

    /**
     * @param bootstrapServers  Kafka bootstrap servers
     * @param experimentsTopic  {@code Topics.EXPERIMENTS} (another in tests)
     * @param runEventsTopic    {@code Topics.RUN_EVENTS} (another in tests)
     * @param catalog           where every record read goes
     */
    public ExperimentFollower(String bootstrapServers, String experimentsTopic, String runEventsTopic,
                              ExperimentCatalog catalog) {
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("experiment-follower",
                List.of(experimentsTopic, runEventsTopic)),
                () -> new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, "evaluation-experiment-follower")),
                ConsumerLoop.TopicSetup.NONE,
                consumer -> records -> {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        if (r.value() == null) {
                            continue; // a tombstone: nothing to know
                        }
                        try {
                            if (r.topic().equals(experimentsTopic)) {
                                catalog.apply(ExperimentRecord.parseFrom(r.value()));
                            } else {
                                catalog.apply(RunEvent.parseFrom(r.value()));
                            }
                        } catch (InvalidProtocolBufferException e) {
                            LOG.warnf("skipping an unparseable record at %s[%d]@%d: %s", r.topic(), r.partition(),
                                    r.offset(), e.getMessage());
                        }
                    }
                    return Map.of();
                });
    }

    /** Starts following on a daemon thread of its own. */
    public void start() {
        loop.start();
    }

    /** Stops following and waits for the thread (bounded by the loop's close timeout). */
    @Override
    public void close() throws InterruptedException {
        loop.close();
    }
}
