/**
 * The models this replica serves: {@link dev.realitycheck.embedding.serving.ModelRegistry} keeps the
 * loaded checkpoints and the one chosen by policy, requests hold a
 * {@link dev.realitycheck.embedding.serving.ModelLease} on one, and
 * {@link dev.realitycheck.embedding.serving.ModelFollower} feeds the registry from Kafka (started by
 * {@link dev.realitycheck.embedding.serving.ModelFollowerLifecycle}). Uses
 * {@link dev.realitycheck.embedding.batching} for the inputs of a micro-batch.
 */
package dev.realitycheck.embedding.serving;
