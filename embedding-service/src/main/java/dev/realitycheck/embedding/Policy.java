package dev.realitycheck.embedding;

import dev.realitycheck.proto.v1.ServingPolicy;

/** How the served checkpoint is chosen (configuration {@code realitycheck.embedding.policy}). */
public enum Policy {
    /** The loaded checkpoint the broker appended last (its manifest record's log-append time), never by the {@code created_at} it claims. */
    LATEST(ServingPolicy.SERVING_POLICY_LATEST),
    /** The loaded checkpoint with the highest validation MAP@R; the latest while none has one. */
    BEST(ServingPolicy.SERVING_POLICY_BEST),
    /** The configured {@code pinned-checkpoint}, once it is loaded. */
    PINNED(ServingPolicy.SERVING_POLICY_PINNED);

    private final ServingPolicy proto;

    Policy(ServingPolicy proto) {
        this.proto = proto;
    }

    /** @return the contract's enum value */
    public ServingPolicy toProto() {
        return proto;
    }
}
