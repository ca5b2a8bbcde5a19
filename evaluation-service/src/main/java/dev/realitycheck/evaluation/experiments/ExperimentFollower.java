package dev.realitycheck.evaluation.experiments;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.transport.ConsumerLoop;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * Reads the experiments and run-events topics from the beginning into the {@link ExperimentCatalog}
 * and keeps following them, on the one {@link ConsumerLoop} (every partition, no group; failures
 * retried after its backoff). Missing topics are created as the trainers create them (the
 * experiments topic with one partition; {@code TopicAdmin} makes it compacted), so a service
 * started before any trainer waits quietly instead of failing on absent topics. A record that does
 * not parse is logged and skipped. A plain class (no CDI); {@link ExperimentsLifecycle} runs it in
 * the service.
 */
public final class ExperimentFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExperimentFollower.class);

    private final ConsumerLoop loop;

    /**
     * @param bootstrapServers  Kafka bootstrap servers
     * @param experimentsTopic  {@code Topics.EXPERIMENTS} (another in tests)
     * @param runEventsTopic    {@code Topics.RUN_EVENTS} (another in tests)
     * @param catalog           where every record read goes
     * @param partitions        partitions of the run-events topic when it has to be created
     * @param replication       replication of the topics when they have to be created
     */
    public ExperimentFollower(String bootstrapServers, String experimentsTopic, String runEventsTopic,
                              ExperimentCatalog catalog, int partitions, short replication) {
        this.loop = new ConsumerLoop(ConsumerLoop.Settings.allPartitions("experiment-follower",
                List.of(experimentsTopic, runEventsTopic)),
                () -> new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, "evaluation-experiment-follower")),
                () -> {
                    try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
                        TopicAdmin.ensureTopics(admin, List.of(runEventsTopic), partitions, replication);
                        TopicAdmin.ensureTopics(admin, List.of(experimentsTopic), 1, replication);
                    }
                },
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
