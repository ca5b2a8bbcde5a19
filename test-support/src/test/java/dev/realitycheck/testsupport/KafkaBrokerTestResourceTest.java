package dev.realitycheck.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.kafka.LocalKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager.TestInjector;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The Quarkus test resource driven the way Quarkus drives it (start, inject, stop). */
class KafkaBrokerTestResourceTest {

  @InjectKafkaBroker
  LocalKafkaBroker injected;

  LocalKafkaBroker notAnnotated;

  @Test
  void startsInjectsAndStops() throws Exception {
    KafkaBrokerTestResource resource = new KafkaBrokerTestResource();
    assertThatThrownBy(KafkaBrokerTestResource::broker).isInstanceOf(IllegalStateException.class);
    try {
      Map<String, String> config = resource.start();

      LocalKafkaBroker broker = KafkaBrokerTestResource.broker();
      assertThat(config).containsExactly(Map.entry("kafka.bootstrap.servers", broker.bootstrapServers()));
      assertThat(broker.isRunning()).isTrue();
      assertThat(broker.logFile()).isEqualTo(Path.of("target/kafka-broker-logs/KafkaBrokerTestResource.log").toAbsolutePath());

      resource.inject(fieldInjector(this));
      assertThat(injected).isSameAs(broker);
      assertThat(notAnnotated).isNull();

      ProcessHandle process = broker.processHandle().orElseThrow();
      Path data = broker.dataDir();
      int port = broker.port();
      resource.stop();
      assertThat(process.isAlive()).as("broker process after stop").isFalse();
      assertThat(data).as("temporary data directory").doesNotExist();
      assertThat(accepts(port)).as("port %d after stop", port).isFalse();
      assertThat(broker.logFile()).content()
          .contains("Kafka Server started", "Transition from STARTED to SHUTTING_DOWN");
      assertThatThrownBy(KafkaBrokerTestResource::broker).isInstanceOf(IllegalStateException.class);
    } finally {
      resource.stop();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** What Quarkus' injector does: sets the matching fields of the test instance. */
  private static TestInjector fieldInjector(Object test) {
    return (value, predicate) -> {
      for (Field f : test.getClass().getDeclaredFields()) {
        if (((Predicate<Field>) predicate).test(f)) {
          try {
            f.setAccessible(true);
            f.set(test, value);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    };
  }
}
