package dev.realitycheck.transport;

import org.apache.kafka.clients.admin.Admin;

/**
 * Whether the Kafka cluster answers, for a service's readiness check: one admin client, created on
 * the first probe and kept (a health check runs every few seconds), asking for the cluster's nodes
 * within a bound. Thread-safe; close it with the service.
 */
public final class KafkaProbe implements AutoCloseable {

    /** How long one probe waits for the cluster's answer. */
    public static final long TIMEOUT_MILLIS = 2_000;

    private final String bootstrapServers;
    private Admin admin;

    /** @param bootstrapServers the cluster to probe */
    public KafkaProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** @return whether the cluster listed its nodes within {@link #TIMEOUT_MILLIS} */
    public boolean reachable() {
        return TopicAdmin.reachable(admin(), TIMEOUT_MILLIS);
    }

    /** @return the health check's line for a probe's outcome, naming the bootstrap servers */
    public String describe(boolean reachable) {
        return (reachable ? "reachable at " : "unreachable at ") + bootstrapServers;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = TopicAdmin.admin(bootstrapServers);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
