package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.transport.KafkaClientOverrides;
import dev.realitycheck.transport.KafkaPrincipal;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's broker (no services) with SASL/SCRAM users and the ACLs of {@code TopicAcls}:
 * each principal, through its client file and {@link KafkaClientOverrides} as the services use it,
 * may write its own topics and nothing else; the results reader reads the results.
 */
class LocalKafkaUsersTest {

    private static final Path ROOT = Path.of(System.getProperty("realitycheck.repository-root", "../.."));

    @TempDir
    static Path dir;

    private static LocalStack stack;

    @BeforeAll
    static void startTheStacksBroker() {
        stack = LocalStack.builder(ROOT).runDirectory(dir.resolve("run")).freePorts().services().build().start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theTrainerWritesCheckpointsAndTheEvaluationServiceCannot() throws Exception {
        send(KafkaPrincipal.TRAINER, Topics.CHECKPOINTS);
        assertThatThrownBy(() -> send(KafkaPrincipal.EVALUATION, Topics.CHECKPOINTS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining(Topics.CHECKPOINTS);
        assertThatThrownBy(() -> send(KafkaPrincipal.EMBEDDING, Topics.EVALUATIONS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theReaderReadsTheResultsAndWritesNothing() throws Exception {
        send(KafkaPrincipal.EVALUATION, Topics.EVALUATIONS);
        List<byte[]> read = as(KafkaPrincipal.RESULTS_READER, () -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    KafkaSettings.consumer(stack.bootstrapServers(), null, "reader-test"))) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVALUATIONS, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<byte[]> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        values.add(r.value());
                    }
                }
                return values;
            }
        });
        assertThat(read).singleElement().isEqualTo(new byte[] {42});
        // a user without any write ACL is refused before it names a topic: no producer id for it (cluster)
        assertThatThrownBy(() -> send(KafkaPrincipal.RESULTS_READER, Topics.EVALUATIONS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AuthorizationException.class);
    }

    @Test
    void eachUsersClientFileIsItsOwnersAloneAndTheTopicsExist() throws Exception {
        for (KafkaPrincipal p : KafkaPrincipal.values()) {
            Path file = LocalKafkaUsers.clientConfig(stack.runDirectory(), p);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Properties props = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                props.load(in);
            }
            assertThat(props.getProperty("sasl.mechanism")).isEqualTo(LocalKafkaUsers.MECHANISM);
            assertThat(props.getProperty("sasl.jaas.config")).contains("username=\"" + p.userName() + "\"");
        }
        // without credentials the client port answers nothing
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", stack.bootstrapServers(),
                "default.api.timeout.ms", "3000", "request.timeout.ms", "2000"))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).isInstanceOf(Exception.class);
        }
        assertThat(as(KafkaPrincipal.TRAINER, () -> {
            try (var admin = dev.realitycheck.transport.TopicAdmin.admin(stack.bootstrapServers())) {
                return admin.listTopics().names().get(30, TimeUnit.SECONDS);
            }
        })).containsAll(Topics.ALL);
    }

    private static void send(KafkaPrincipal principal, String topic) throws Exception {
        as(principal, () -> {
            Properties props = KafkaSettings.producer(stack.bootstrapServers(), "users-test-" + principal.userName());
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
                return producer.send(new ProducerRecord<>(topic, "k", new byte[] {42})).get(30, TimeUnit.SECONDS);
            }
        });
    }

    /** Runs {@code action} with the principal's client file as the overrides, as a service of the stack does. */
    private static <T> T as(KafkaPrincipal principal, ThrowingSupplier<T> action) throws Exception {
        System.setProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY,
                LocalKafkaUsers.clientConfig(stack.runDirectory(), principal).toString());
        try {
            return action.get();
        } finally {
            System.clearProperty(KafkaClientOverrides.CONFIG_FILE_PROPERTY);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
