/**
 * Training at library level: {@link dev.realitycheck.train.MPerClassSampler} batches,
 * {@link dev.realitycheck.train.Augmentation}, optimizers applied as our own well-ordered update ops
 * ({@link dev.realitycheck.train.Adam}, {@link dev.realitycheck.train.RmsProp},
 * {@link dev.realitycheck.train.Sgd}; the framework's {@code Adam} races and is not reproducible),
 * and {@link dev.realitycheck.train.TrainingRun}, the loop with checkpoints: an inference SavedModel
 * plus a {@link dev.realitycheck.train.TrainingState} file from which a crashed run resumes bit for
 * bit.
 *
 * <p>Everything random is a pure function of the run's seed and the iteration, so the state to
 * resume from is the variables and the iteration number alone.
 */
package dev.realitycheck.train;
