package dev.realitycheck.kafka;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the JVMs of one broker on its classpath ({@code broker-lib/*}): the broker itself, and
 * Kafka's storage tool when the storage is formatted on its own. They run in the data directory
 * with the configuration files {@link BrokerConfigFiles} wrote there, read nothing on standard
 * input, and append standard output and error to the broker's log, never to this JVM's console.
 */
final class BrokerJvm {

  private final List<String> jvmOptions;
  private final Path brokerLib;
  private final Path dataDir;
  private final BrokerLog log;

  /**
   * The JVMs of the broker in {@code dataDir}.
   *
   * @param jvmOptions heap and GC options
   * @param brokerLib the directory with the broker's jars
   * @param dataDir the data directory (working directory and configuration files)
   * @param log where the output goes
   */
  BrokerJvm(List<String> jvmOptions, Path brokerLib, Path dataDir, BrokerLog log) {
    this.jvmOptions = jvmOptions;
    this.brokerLib = brokerLib;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * This module's classes (directory or jar), which go on the broker's classpath for
   * {@link BrokerLauncher}.
   *
   * @return the location, null when it cannot be told
   */
  static Path launcherCode() {
    try {
      CodeSource source = BrokerLauncher.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Starts the broker: {@code kafka.Kafka server.properties}, or, with a launcher, through
   * {@link BrokerLauncher}, which ties the broker to {@code ownerPid} and can format the storage
   * first in the same JVM.
   *
   * @param where the addresses it binds, for the log's marker line
   * @param launcher {@link #launcherCode()}, or null for a broker that outlives its owner
   * @param ownerPid the process whose death stops the broker (with a launcher)
   * @param formatClusterId the cluster id to format the storage with first (with a launcher), or
   *     null when it is formatted
   * @return the broker's process
   * @throws IOException if the log cannot be written or the JVM cannot be started
   */
  Process startBroker(String where, Path launcher, long ownerPid, String formatClusterId) throws IOException {
    log.appendMarker("start broker on " + where
        + (formatClusterId == null ? "" : ", formatting the storage first with cluster id " + formatClusterId));
    List<String> command = javaCommand();
    if (launcher != null) {
      int cp = command.indexOf("-cp") + 1;
      command.set(cp, command.get(cp) + File.pathSeparator + launcher);
      command.addAll(List.of(BrokerLauncher.class.getName(), "--parent-pid", Long.toString(ownerPid)));
      if (formatClusterId != null) {
        command.addAll(List.of("--format", formatClusterId));
      }
    } else {
      command.add("kafka.Kafka");
    }
    command.add(serverProperties());
    return start(command);
  }

  /**
   * Starts Kafka's storage tool: {@code StorageTool format -t clusterId -c server.properties}.
   *
   * @param clusterId the id to format with
   * @return the tool's process
   * @throws IOException if the JVM cannot be started
   */
  Process startStorageFormat(String clusterId) throws IOException {
    List<String> command = javaCommand();
    command.add("kafka.tools.StorageTool");
    command.addAll(List.of("format", "-t", clusterId, "-c", serverProperties()));
    return start(command);
  }

  private String serverProperties() {
    return dataDir.resolve(BrokerConfigFiles.SERVER_PROPERTIES).toString();
  }

  private List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(jvmOptions);
    command.add("-Dlog4j2.configurationFile=" + dataDir.resolve(BrokerConfigFiles.LOG4J2_PROPERTIES));
    command.add("-cp");
    command.add(brokerLib.resolve("*").toString());
    return command;
  }

  private Process start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.directory(dataDir.toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("JAVA_TOOL_OPTIONS"); // would print "Picked up ..." and change the JVM
    pb.environment().remove("KAFKA_OPTS");
    return pb.start();
  }
}
