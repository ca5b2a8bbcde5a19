package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.StackService;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The ports of a local stack, one set of options for {@code up} and {@code demo} (a picocli mixin):
 * applied to a {@link LocalStack.Builder}, or passed on to a child process as the same options.
 */
final class StackPorts {

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Kafka (default: ${DEFAULT-VALUE}; 0: any free port)")
    int kafka;

    @Option(names = "--trainer-port", paramLabel = "PORT", defaultValue = "8081",
            description = "trainer service (default: ${DEFAULT-VALUE}; 0: any free port)")
    int trainer;

    @Option(names = "--embedding-port", paramLabel = "PORT", defaultValue = "8082",
            description = "embedding service (default: ${DEFAULT-VALUE}; 0: any free port)")
    int embedding;

    @Option(names = "--evaluation-port", paramLabel = "PORT", defaultValue = "8083",
            description = "evaluation service (default: ${DEFAULT-VALUE}; 0: any free port)")
    int evaluation;

    /** Sets these ports on {@code builder}; returns it. */
    LocalStack.Builder applyTo(LocalStack.Builder builder) {
        return builder.kafkaPort(kafka).port(StackService.TRAINER, trainer).port(StackService.EMBEDDING, embedding)
                .port(StackService.EVALUATION, evaluation);
    }

    /** The same ports as command-line options, for a child process that takes this mixin too. */
    List<String> arguments() {
        return List.of("--kafka-port", Integer.toString(kafka), "--trainer-port", Integer.toString(trainer),
                "--embedding-port", Integer.toString(embedding), "--evaluation-port", Integer.toString(evaluation));
    }
}
