/**
 * Runs and experiments as every pod knows them: expanding an experiment into runs
 * ({@link dev.realitycheck.trainer.runs.RunPlanner}), queueing them on {@code realitycheck.runs}
 * ({@link dev.realitycheck.trainer.runs.RunQueue}), and the cluster-wide
 * {@link dev.realitycheck.trainer.runs.RunStore}, whose events this pod publishes and whose other
 * pods' events it follows. Knows nothing of how a run trains.
 */
package dev.realitycheck.trainer.runs;
