/**
 * Seeded random streams shared by the trainer's sampler, initialisation and augmentation and by the
 * image pipeline: a stream is a pure function of (seed, purpose, index), so runs are reproducible
 * whatever the threads. A package of its own so that the image pipeline and the training loop both
 * use it without depending on each other.
 */
package dev.realitycheck.train.seeds;
