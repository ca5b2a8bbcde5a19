/**
 * Server-side micro-batching: {@link dev.realitycheck.embedding.batching.MicroBatcher} runs
 * concurrent embedding requests for the same model as one TensorFlow call, and drops queued
 * requests whose deadline ({@link dev.realitycheck.embedding.batching.RequestDeadlines}) passed or
 * whose client cancelled. Knows nothing of models beyond an embedding function.
 */
package dev.realitycheck.embedding.batching;
