package dev.realitycheck.transport;

import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.jboss.logging.Logger;

/**
 * The consumer-group protocol a Kafka cluster offers, for the groups whose members may be busy for
 * minutes between polls (the trainer's). KIP-848's {@code consumer} protocol lets a member that
 * joins get unassigned partitions at once; a cluster offers it from Apache Kafka 4.0, where the
 * finalized feature {@value #FEATURE} is 1 or more. On an older cluster (the 4.x clients talk to
 * brokers from 2.1 on) such a group falls back to the classic protocol with the cooperative-sticky
 * assignor, and the first fallback of a process says so in one warning that names the cluster: a
 * member that joins then waits until the busy members poll again.
 */
public final class GroupProtocols {

    /** The cluster feature whose level 1 or more means the {@code consumer} group protocol is offered. */
    public static final String FEATURE = "group.version";

    /** How long the question to the cluster may take. */
    public static final long TIMEOUT_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(GroupProtocols.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private GroupProtocols() {
    }

    /**
     * Asks the cluster which protocol its groups can use.
     *
     * @throws ExecutionException when the cluster refuses the question; {@link TimeoutException} when it
     *                            does not answer within {@link #TIMEOUT_MILLIS}
     */
    public static GroupProtocol offered(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        FinalizedVersionRange level = admin.describeFeatures().featureMetadata()
                .get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).finalizedFeatures().get(FEATURE);
        return level != null && level.maxVersionLevel() >= 1 ? GroupProtocol.CONSUMER : GroupProtocol.CLASSIC;
    }

    /**
     * Sets {@code consumer}'s group protocol to the best the cluster at {@code bootstrapServers}
     * offers (the classic one with the cooperative-sticky assignor on a cluster older than Kafka 4.0,
     * with a warning the first time). For a consumer factory: it throws unchecked, so a consumer
     * loop's failure policy retries as for any other unreachable cluster.
     *
     * @return the same properties
     * @throws KafkaException when the cluster cannot be asked (refused, or no answer within
     *                        {@link #TIMEOUT_MILLIS}); {@link InterruptException} when interrupted
     */
    public static Properties useBest(Properties consumer, String bootstrapServers) {
        GroupProtocol protocol;
        try (Admin admin = TopicAdmin.admin(bootstrapServers)) {
            protocol = offered(admin);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("cannot ask the Kafka cluster at " + bootstrapServers
                    + " which consumer group protocol it offers: " + (e.getCause() != null ? e.getCause() : e), e);
        }
        if (protocol == GroupProtocol.CLASSIC && WARNED.compareAndSet(false, true)) {
            LOG.warnf("the Kafka cluster at %s does not offer the consumer group protocol of Apache Kafka 4.0"
                    + " (feature %s below 1): consumer groups fall back to the classic protocol, so a trainer pod"
                    + " that joins waits for the busy pods' next poll before it gets runs; upgrade to Kafka 4.0"
                    + " or newer", bootstrapServers, FEATURE);
        }
        return use(consumer, protocol);
    }

    /** Sets {@code consumer}'s group protocol ({@code classic} with the cooperative-sticky assignor). */
    public static Properties use(Properties consumer, GroupProtocol protocol) {
        consumer.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.name().toLowerCase(Locale.ROOT));
        if (protocol == GroupProtocol.CLASSIC) {
            consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        } else {
            consumer.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        }
        return consumer;
    }
}
