package dev.realitycheck.testsupport;

import dev.realitycheck.kafka.LocalKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real Kafka broker ({@link LocalKafkaBroker}, own JVM, free ports, temporary data)
 * before Quarkus boots, and stops it (deleting its data) after the tests that use it:
 *
 * <pre>{@code
 * @QuarkusTest
 * @QuarkusTestResource(KafkaBrokerTestResource.class)    // or @WithTestResource(KafkaBrokerTestResource.class)
 * class CheckpointConsumerTest {
 *   @InjectKafkaBroker LocalKafkaBroker kafka;           // or KafkaBrokerTestResource.broker()
 *   ...  kafka.restart();                                // same port, same data
 * }
 * }</pre>
 *
 * <p>Gives Quarkus the configuration {@value #BOOTSTRAP_SERVERS} = {@code 127.0.0.1:<port>}
 * (what the Kafka client and SmallRye Reactive Messaging Kafka extensions read). The broker's log
 * is {@code target/kafka-broker-logs/KafkaBrokerTestResource.log}. Needs Quarkus Dev Services for
 * Kafka off ({@code quarkus.kafka.devservices.enabled=false}), as they need Docker.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

  /** The configuration key this resource sets. */
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

  private static volatile LocalKafkaBroker current;

  private LocalKafkaBroker broker;

  /** Created by Quarkus. */
  public KafkaBrokerTestResource() {
  }

  /**
   * The broker of the running test resource, for tests that restart it or need its address.
   *
   * @return the broker
   * @throws IllegalStateException when no {@code KafkaBrokerTestResource} is active
   */
  public static LocalKafkaBroker broker() {
    LocalKafkaBroker broker = current;
    if (broker == null) {
      throw new IllegalStateException("no KafkaBrokerTestResource is active: annotate the test with"
          + " @QuarkusTestResource(KafkaBrokerTestResource.class)");
    }
    return broker;
  }

  /**
   * Starts the broker and waits until it answers.
   *
   * @return {@value #BOOTSTRAP_SERVERS} for Quarkus
   */
  @Override
  public Map<String, String> start() {
    broker = TestBrokers.builder(KafkaBrokerTestResource.class.getSimpleName()).build().start();
    current = broker;
    return Map.of(BOOTSTRAP_SERVERS, broker.bootstrapServers());
  }

  /**
   * Injects the broker into the test's {@code @InjectKafkaBroker LocalKafkaBroker} fields.
   *
   * @param injector Quarkus' injector for the test instance
   */
  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(broker,
        new TestInjector.AnnotatedAndMatchesType(InjectKafkaBroker.class, LocalKafkaBroker.class));
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void stop() {
    if (broker != null) {
      if (current == broker) {
        current = null;
      }
      broker.close();
      broker = null;
    }
  }
}
