package dev.realitycheck.transport;

import org.apache.kafka.clients.admin.Admin;

/**
 * Whether the Kafka cluster answers, for a service's readiness check: one admin client, created on
 * the first probe and kept (a health check runs every few seconds), asking for the cluster's nodes
 * within a bound. Thread-safe; close it with the service.
 */
public final class KafkaProbe implements AutoCloseable {

    /** How long one probe of a service's readiness check waits for the cluster's answer. */
    public static final long TIMEOUT_MILLIS = 2_000;

    private final String bootstrapServers;
    private final long timeoutMillis;
    private Admin admin;

    /** @param bootstrapServers the cluster to probe, each probe bounded by {@link #TIMEOUT_MILLIS} */
    public KafkaProbe(String bootstrapServers) {
        this(bootstrapServers, TIMEOUT_MILLIS);
    }

    /**
     * @param bootstrapServers the cluster to probe
     * @param timeoutMillis    how long one probe waits (a one-shot probe from a cold process includes
     *                         its connection and SASL login), positive
     */
    public KafkaProbe(String bootstrapServers, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeoutMillis must be positive, got " + timeoutMillis);
        }
        this.bootstrapServers = bootstrapServers;
        this.timeoutMillis = timeoutMillis;
    }

    /** @return whether the cluster listed its nodes within the probe's timeout */
    public boolean reachable() {
        return TopicAdmin.reachable(admin(), timeoutMillis);
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
