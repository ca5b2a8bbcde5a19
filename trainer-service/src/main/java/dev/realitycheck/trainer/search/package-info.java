/**
 * Hyperparameter searches of the losses that have a {@code search}: one pod at a time coordinates
 * them ({@link dev.realitycheck.trainer.search.SearchCoordinator}), publishing trials as ordinary
 * runs and, after the last, the reproductions of the best configuration
 * ({@link dev.realitycheck.trainer.search.LossSearch});
 * {@link dev.realitycheck.trainer.search.SearchLifecycle} starts and stops it with the service.
 */
package dev.realitycheck.trainer.search;
