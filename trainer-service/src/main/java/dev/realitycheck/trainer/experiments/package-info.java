/**
 * Accepting an experiment: {@link dev.realitycheck.trainer.experiments.ExperimentValidator} checks a
 * whole spec with the trainer's own recipes and search spaces before anything is queued.
 */
package dev.realitycheck.trainer.experiments;
