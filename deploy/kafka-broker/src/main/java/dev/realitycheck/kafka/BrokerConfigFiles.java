package dev.realitycheck.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two configuration files of a broker in its data directory, rewritten at every start:
 * {@code server.properties} (a single KRaft node, broker and controller in one, topics
 * auto-created with 1 partition, internal topics with replication factor 1 and one partition) and
 * a log4j2 configuration that prints everything to standard output, which the broker's JVM
 * appends to its log file.
 */
final class BrokerConfigFiles {

  /** The broker's configuration file, in the data directory. */
  static final String SERVER_PROPERTIES = "server.properties";
  /** The broker JVM's log4j2 configuration, in the data directory. */
  static final String LOG4J2_PROPERTIES = "log4j2.properties";
  /** The directory of the topics' data (and of {@code meta.properties}), in the data directory. */
  static final String LOG_DIR = "kraft-combined-logs";

  private static final int NODE_ID = 1;

  private BrokerConfigFiles() {
  }

  /**
   * Writes both files into {@code dataDir}.
   *
   * @param dataDir the data directory (exists)
   * @param host the host the broker binds to and advertises
   * @param port the client (PLAINTEXT) port
   * @param controllerPort the KRaft controller port
   * @param extraProperties entries added to or overriding the defaults
   * @throws IOException if a file cannot be written
   */
  static void write(Path dataDir, String host, int port, int controllerPort, Map<String, String> extraProperties)
      throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", dataDir.resolve(LOG_DIR).toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "true");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.putAll(extraProperties);
    StringBuilder text = new StringBuilder("# written by dev.realitycheck.kafka.LocalKafkaBroker; rewritten at every start\n");
    p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    Files.writeString(dataDir.resolve(SERVER_PROPERTIES), text, StandardCharsets.UTF_8);
    // log4j2 prints to standard output, which BrokerJvm appends to the log file
    Files.writeString(dataDir.resolve(LOG4J2_PROPERTIES), """
        # written by dev.realitycheck.kafka.LocalKafkaBroker: standard output goes to the log file
        status = warn
        shutdownHook = disable
        appender.out.type = Console
        appender.out.name = STDOUT
        appender.out.target = SYSTEM_OUT
        appender.out.layout.type = PatternLayout
        appender.out.layout.pattern = [%d] %p %m (%c)%n
        rootLogger.level = INFO
        rootLogger.appenderRef.out.ref = STDOUT
        logger.request.name = kafka.request.logger
        logger.request.level = WARN
        logger.state.name = state.change.logger
        logger.state.level = WARN
        """, StandardCharsets.UTF_8);
  }
}
