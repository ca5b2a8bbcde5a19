package dev.realitycheck.kafka;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code broker-lib}, the directory holding the Kafka broker's runtime classpath that this
 * module's build copies to {@code deploy/kafka-broker/target/broker-lib}.
 *
 * <p>Looked for, in order:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (an explicit value must be valid, it is never
 *       skipped);</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>beside this class's own code: {@code target/classes} or {@code target/kafka-broker-*.jar}
 *       of this module gives {@code target/broker-lib} (the case in any reactor build);</li>
 *   <li>walking up from the working directory to a directory that has
 *       {@code deploy/kafka-broker/target/broker-lib} (the repository root).</li>
 * </ol>
 * Nothing found gives an error that says how to build it.
 */
public final class BrokerLib {

  /** System property naming the broker-lib directory. */
  public static final String PROPERTY = "realitycheck.kafka.broker-lib";
  /** Environment variable naming the broker-lib directory. */
  public static final String ENV = "REALITYCHECK_KAFKA_BROKER_LIB";
  /** Where the directory sits, relative to the repository root. */
  public static final String RELATIVE_PATH = "deploy/kafka-broker/target/broker-lib";
  /** The command that builds it, from the repository root. */
  public static final String BUILD_COMMAND = "./mvnw -B -pl deploy/kafka-broker -am package -DskipTests";

  private BrokerLib() {
  }

  /**
   * Locates broker-lib without configuration when running inside this repository.
   *
   * @return an existing directory with exactly one Kafka broker jar
   * @throws IllegalStateException when none is found, or the one named explicitly is unusable
   */
  public static Path locate() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return validate(Path.of(property), "system property " + PROPERTY);
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return validate(Path.of(env), "environment variable " + ENV);
    }
    List<Path> tried = new ArrayList<>();
    Path besideCode = besideCode();
    if (besideCode != null) {
      tried.add(besideCode);
      if (Files.isDirectory(besideCode)) {
        return validate(besideCode, "the kafka-broker module's build directory");
      }
    }
    Path dir = Path.of("").toAbsolutePath();
    for (; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_PATH);
      if (Files.isDirectory(candidate)) {
        return validate(candidate, "the repository root " + dir);
      }
    }
    tried.add(Path.of("<each parent of " + Path.of("").toAbsolutePath() + ">").resolve(RELATIVE_PATH));
    throw new IllegalStateException("The Kafka broker jars (broker-lib) were not found; looked at "
        + tried + ". Build them from the repository root with: " + BUILD_COMMAND
        + " (or point -D" + PROPERTY + " at a directory with the broker's jars)");
  }

  /** {@code target/broker-lib} next to this class's {@code target/classes} or module jar, if so. */
  private static Path besideCode() {
    try {
      CodeSource source = BrokerLib.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path location = Path.of(source.getLocation().toURI());
      Path parent = location.getParent();
      if (parent == null || !parent.getFileName().toString().equals("target")) {
        return null;
      }
      return parent.resolve("broker-lib");
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static Path validate(Path dir, String origin) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw new IllegalStateException("broker-lib " + abs + " (from " + origin
          + ") is not a directory. Build it from the repository root with: " + BUILD_COMMAND);
    }
    List<String> brokers = new ArrayList<>();
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(abs, "kafka_2.13-*.jar")) {
      jars.forEach(jar -> brokers.add(jar.getFileName().toString()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot list broker-lib " + abs + ": " + e, e);
    }
    if (brokers.isEmpty()) {
      throw new IllegalStateException("broker-lib " + abs + " (from " + origin
          + ") has no kafka_2.13 jar. Build it from the repository root with: " + BUILD_COMMAND);
    }
    if (brokers.size() > 1) {
      throw new IllegalStateException("broker-lib " + abs + " holds several Kafka versions " + brokers
          + " (left over from a version change). Rebuild it: ./mvnw -B -pl deploy/kafka-broker -am clean package -DskipTests");
    }
    return abs;
  }
}
