/** The gRPC API of the trainer-service, {@code realitycheck.v1.TrainerService}. */
package dev.realitycheck.trainer.grpc;
