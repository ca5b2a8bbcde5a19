package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientOverridesTest {

    @Test
    void nothingConfiguredMeansNoOverrides() {
        assertThat(KafkaClientOverrides.load(Map.of(), new Properties())).isEmpty();
    }

    @Test
    void theFileAndTheJaasVariableBecomeClientSettings(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"),
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nssl.truststore.type=PEM\n");
        Properties p = KafkaClientOverrides.load(Map.of(KafkaClientOverrides.CONFIG_FILE_ENV, file.toString(),
                KafkaClientOverrides.JAAS_ENV, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";\n"),
                new Properties());
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";");
    }

    @Test
    void aKeyThatIsNotASecuritySettingIsRefusedByName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\nacks=0\n");
        assertThatThrownBy(() -> KafkaClientOverrides.load(Map.of(KafkaClientOverrides.CONFIG_FILE_ENV, file.toString()), new Properties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'acks'").hasMessageContaining(file.toString());
    }

    @Test
    void aMissingFileIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("absent.properties");
        assertThatThrownBy(() -> KafkaClientOverrides.load(Map.of(KafkaClientOverrides.CONFIG_FILE_ENV, missing.toString()), new Properties()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void producersConsumersAndAdminsOfTheServicesGetTheOverrides(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\nssl.truststore.type=PEM\n");
        System.setProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY, file.toString());
        try {
            assertThat(KafkaSettings.producer("127.0.0.1:1", "p")).containsEntry("security.protocol", "SSL")
                    .containsEntry("acks", "all");
            assertThat(KafkaSettings.consumer("127.0.0.1:1", "g", "c")).containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry("enable.auto.commit", "false");
        } finally {
            System.clearProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY);
        }
        assertThat(KafkaSettings.producer("127.0.0.1:1", "p")).doesNotContainKey("security.protocol");
    }
}
