package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.kafka.LocalKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker whose client listener requires SASL/PLAIN: the services' Kafka clients reach it
 * only through the settings {@link KafkaClientOverrides} reads (as the Helm chart renders them).
 */
class KafkaClientOverridesBrokerTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"realitycheck\" password=\"%s\";";

    private static LocalKafkaBroker broker;
    private static String saslBootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrokerWithASaslListener() throws IOException {
        int plain = freePort();
        int sasl = freePort();
        int controller = freePort();
        saslBootstrap = "127.0.0.1:" + sasl;
        broker = LocalKafkaBroker.builder().port(plain).controllerPort(controller)
                .logFile(Path.of("target/kafka-broker-logs/KafkaClientOverridesBrokerTest.log"))
                // PLAINTEXT stays for the broker's own readiness probe and inter-broker traffic
                .property("listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL://" + saslBootstrap
                        + ",CONTROLLER://127.0.0.1:" + controller)
                .property("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plain + ",SASL://" + saslBootstrap)
                .property("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT")
                .property("sasl.enabled.mechanisms", "PLAIN")
                .property("listener.name.sasl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required user_realitycheck=\"s3cret\";")
                .build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void clearOverrides() {
        System.clearProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY);
    }

    private void overrides(String password) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_PLAINTEXT\n"
                + "sasl.mechanism=PLAIN\n" + "sasl.jaas.config=" + JAAS.formatted(password).replace("\"", "\\\"") + "\n");
        System.setProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY, file.toString());
    }

    @Test
    void withoutTheOverridesTheSaslListenerIsNotReachable() {
        try (Admin admin = TopicAdmin.admin(saslBootstrap)) {
            assertThat(TopicAdmin.reachable(admin, 3000)).isFalse();
        }
    }

    @Test
    void aWrongPasswordIsRefused() throws IOException {
        overrides("wrong");
        try (Admin admin = TopicAdmin.admin(saslBootstrap)) {
            assertThat(TopicAdmin.reachable(admin, 5000)).isFalse();
        }
    }

    @Test
    void withTheOverridesAdminProducerAndConsumerWorkThroughSasl() throws Exception {
        overrides("s3cret");
        try (Admin admin = TopicAdmin.admin(saslBootstrap)) {
            assertThat(TopicAdmin.reachable(admin, 10_000)).isTrue();
            TopicAdmin.ensureTopics(admin, Set.of("sasl-check"), 1, (short) 1);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(saslBootstrap, "sasl-p"))) {
            producer.send(new ProducerRecord<>("sasl-check", "k", new byte[] {42})).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaSettings.consumer(saslBootstrap, "sasl-g", "sasl-c"))) {
            consumer.subscribe(List.of("sasl-check"));
            List<byte[]> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).singleElement().isEqualTo(new byte[] {42});
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
