package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalKafkaUsers;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.transport.KafkaClientOverrides;
import dev.realitycheck.transport.KafkaPrincipal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI's Kafka clients (results, the demo's follower, status' probe) reach the local stack's
 * broker, which requires SASL, as the stack's results reader ({@link KafkaPrincipal#RESULTS_READER}):
 * its client file becomes this process's {@link KafkaClientOverrides}, unless the user configured
 * their own ({@value KafkaClientOverrides#CONFIG_FILE_ENV} or the system property).
 */
final class StackKafkaReader {

    private StackKafkaReader() {
    }

    /**
     * Uses the reader's client file of the stack in {@code runDirectory}, when it wrote one.
     *
     * @return true when this process's Kafka clients now authenticate as the reader
     */
    static boolean use(Path runDirectory) {
        if (System.getProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY) != null
                || System.getenv(KafkaClientOverrides.CONFIG_FILE_ENV) != null) {
            return false;
        }
        Path file = LocalKafkaUsers.clientConfig(new RunDirectory(runDirectory), KafkaPrincipal.RESULTS_READER);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        System.setProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY, file.toString());
        return true;
    }
}
