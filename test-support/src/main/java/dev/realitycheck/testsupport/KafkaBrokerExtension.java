package dev.realitycheck.testsupport;

import dev.realitycheck.kafka.BrokerBuilder;
import dev.realitycheck.kafka.LocalKafkaBroker;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for plain (non-Quarkus) tests: one real Kafka broker
 * ({@link LocalKafkaBroker}, own JVM, free ports, temporary data) per test class, started before
 * the class's {@code @BeforeAll} methods and closed after its {@code @AfterAll} methods. Test
 * methods, lifecycle methods and constructors get it as a {@code LocalKafkaBroker} parameter;
 * {@code @Nested} classes share their outer class's broker. Its log is
 * {@code target/kafka-broker-logs/<TestClass>.log}.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class CheckpointTopicTest {
 *   @Test void survivesRestart(LocalKafkaBroker kafka) { ... kafka.restart(); ... }
 * }
 *
 * // or, to change its settings:
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(b -> b.property("log.retention.ms", "-1"));
 * }</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  private static final String KEY = "broker";

  private final Consumer<BrokerBuilder> customizer;

  /** A broker with the defaults of {@link LocalKafkaBroker#builder()}. */
  public KafkaBrokerExtension() {
    this(builder -> { });
  }

  /**
   * A broker whose builder is adjusted first (ports, properties, JVM options...).
   *
   * @param customizer applied to the builder before the broker is built
   */
  public KafkaBrokerExtension(Consumer<BrokerBuilder> customizer) {
    this.customizer = customizer;
  }

  /**
   * The broker serving {@code context}'s test class (an enclosing class's for {@code @Nested}).
   *
   * @param context any extension context inside the test class
   * @return the broker, or null when none was started
   */
  public static LocalKafkaBroker broker(ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      LocalKafkaBroker broker = c.getStore(NAMESPACE).get(KEY, LocalKafkaBroker.class);
      if (broker != null) {
        return broker;
      }
    }
    return null;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (broker(context) != null) {
      return; // a @Nested class: the outer class's broker serves it
    }
    BrokerBuilder builder = TestBrokers.builder(context.getRequiredTestClass().getSimpleName());
    customizer.accept(builder);
    LocalKafkaBroker broker = builder.build();
    context.getStore(NAMESPACE).put(KEY, broker);
    broker.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LocalKafkaBroker broker = context.getStore(NAMESPACE).remove(KEY, LocalKafkaBroker.class);
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LocalKafkaBroker broker = broker(context);
    if (broker == null) {
      throw new ParameterResolutionException("no Kafka broker: KafkaBrokerExtension starts one per test"
          + " class, register it on the class (@ExtendWith or a static @RegisterExtension field)");
    }
    return broker;
  }
}
