package dev.realitycheck.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.kafka.LocalKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real broker through {@link KafkaBrokerExtension}: topic, produce, consume with a group,
 * restart, and the records and the group's committed offset are still there; stop() leaves no
 * process.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // stop last: one broker start less
class KafkaBrokerExtensionTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  @Order(1)
  void recordsAndCommittedOffsetsSurviveARestart(LocalKafkaBroker kafka) throws Exception {
    kafka.start(); // no-op unless another test stopped it
    String bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("checkpoints", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    send(bootstrap, "run-1", "epoch-1");
    assertThat(consume(bootstrap, "evaluator", 1)).containsExactly("run-1=epoch-1");

    long before = kafka.pid().orElseThrow();
    ProcessHandle old = kafka.processHandle().orElseThrow();
    int port = kafka.port();
    kafka.restart();

    assertThat(old.isAlive()).as("old broker process").isFalse();
    assertThat(kafka.pid().orElseThrow()).isNotEqualTo(before);
    assertThat(kafka.port()).isEqualTo(port);
    assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
    // the record is on disk: a new group reads it from the beginning
    assertThat(consume(bootstrap, "late-reader", 1)).containsExactly("run-1=epoch-1");
    // the first group's committed offset survived: it only gets what came after
    send(bootstrap, "run-1", "epoch-2");
    assertThat(consume(bootstrap, "evaluator", 1)).containsExactly("run-1=epoch-2");
  }

  @Test
  @Order(2)
  void stopLeavesNoProcess(LocalKafkaBroker kafka) {
    kafka.start();
    ProcessHandle process = kafka.processHandle().orElseThrow();
    assertThat(process.isAlive()).isTrue();

    kafka.stop();

    assertThat(process.isAlive()).as("broker process after stop()").isFalse();
    assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(kafka.isRunning()).isFalse();
    assertThat(kafka.pid()).isEmpty();
    assertThat(kafka.dataDir()).as("data kept by stop()").isDirectory();
    kafka.stop(); // idempotent
  }

  static void send(String bootstrap, String key, String value) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("checkpoints", key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /** Reads {@code count} records as group {@code group} (committing), bounded by 30 s. */
  static List<String> consume(String bootstrap, String group, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("checkpoints"));
      Awaitility.await().atMost(BOUND).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
          .until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
              seen.add(r.key() + "=" + r.value());
            }
            return seen.size() >= count;
          });
      consumer.commitSync(BOUND);
    }
    return seen;
  }
}
