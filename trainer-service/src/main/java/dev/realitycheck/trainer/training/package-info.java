/**
 * Training runs: the {@link dev.realitycheck.trainer.training.TrainerLoop} consumes
 * {@code realitycheck.runs} and trains each run with a {@link dev.realitycheck.trainer.training.RunTrainer}
 * (its {@link dev.realitycheck.trainer.training.RunRecipe}, validations, checkpoints on Kafka,
 * resuming on another pod), on the datasets of {@link dev.realitycheck.trainer.training.RunDatasets};
 * {@link dev.realitycheck.trainer.training.TrainerLifecycle} starts and stops it with the service.
 */
package dev.realitycheck.trainer.training;
