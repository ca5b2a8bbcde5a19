package dev.realitycheck.transport;

import java.util.Optional;

/**
 * The Kafka users of Reality Check, one per service plus a reader for {@code bin/realitycheck results}:
 * what each may do is {@link TopicAcls}. The names are the same everywhere: the local stack's SCRAM
 * users, the chart's Strimzi {@code KafkaUser}s and the {@code kafka-acls.sh} commands of docs/kafka.md.
 */
public enum KafkaPrincipal {

    /** The trainer-service: queues runs and experiments, trains, publishes checkpoints and run events. */
    TRAINER("realitycheck-trainer", "trainer-"),
    /** The evaluation-service: scores checkpoints, publishes results and progress. */
    EVALUATION("realitycheck-evaluation", "evaluation-"),
    /** The embedding-service: follows checkpoints and results, serves the best model. */
    EMBEDDING("realitycheck-embedding", null),
    /** {@code bin/realitycheck results} and the demo's follower: read the results, write nothing. */
    RESULTS_READER("realitycheck-reader", null);

    private final String userName;
    private final String groupPrefix;

    KafkaPrincipal(String userName, String groupPrefix) {
        this.userName = userName;
        this.groupPrefix = groupPrefix;
    }

    /** The SASL user name, e.g. {@code realitycheck-trainer}. */
    public String userName() {
        return userName;
    }

    /** {@code User:<name>}, as ACLs name a principal. */
    public String principal() {
        return "User:" + userName;
    }

    /**
     * The prefix of the consumer groups this user may join (the defaults {@code trainer-service},
     * {@code trainer-search} and {@code evaluation-service} have it); empty for a user whose consumers
     * assign partitions without a group.
     */
    public Optional<String> groupPrefix() {
        return Optional.ofNullable(groupPrefix);
    }
}
