/**
 * The trainer-service: its settings ({@link dev.realitycheck.trainer.TrainerConfig}), the device
 * it trains on and its readiness check. The features live in sub-packages that depend on each
 * other in one direction only: {@code grpc} (the API) uses {@code experiments} (accepting a spec),
 * which uses {@code search} (hyperparameter searches), which uses {@code training} (the trainer
 * loop), which uses {@code runs} (planning, queueing and following runs); each may use this
 * package, which uses none of them.
 */
package dev.realitycheck.trainer;
