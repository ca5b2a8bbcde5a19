package dev.realitycheck.transport;

import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/** Creates Reality Check's topics when they are missing, and probes the broker for health checks. */
public final class TopicAdmin {

    private static final Logger LOG = Logger.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** An admin client with short timeouts, for start-up and health checks (with the deployment's TLS/SASL settings). */
    public static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(KafkaClientOverrides.applyTo(p));
    }

    /**
     * Creates each missing topic with {@code partitions} and {@code replication} and its
     * {@link TopicSpec}'s configs; existing ones are left as they are (their configs are the operator's:
     * the chart's topic Job sets them from its values).
     */
    public static void ensureTopics(Admin admin, Collection<String> topics, int partitions, short replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> newTopic(t, partitions, replication)).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.infof("created topics %s (%d partitions, replication %d)", missing.stream().map(NewTopic::name).toList(),
                    partitions, replication);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * The topic as created: a topic of {@link Topics#ALL} takes its {@link TopicSpec} (partitions rule,
     * retention, cleanup policy); any other name the given partitions and the broker's defaults.
     */
    static NewTopic newTopic(String name, int partitions, short replication) {
        return TopicSpec.of(name)
                .map(s -> new NewTopic(name, s.partitions(partitions), replication).configs(s.configs()))
                .orElseGet(() -> new NewTopic(name, partitions, replication));
    }

    /** True when the broker answers a cluster description within {@code timeoutMillis}. */
    public static boolean reachable(Admin admin, long timeoutMillis) {
        try {
            admin.describeCluster().nodes().get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
