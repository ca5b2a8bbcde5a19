package dev.realitycheck.kafka;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of the broker JVM when its owner must not leave it behind: watches the owner's
 * process and shuts Kafka down (gracefully, through Kafka's own shutdown hook) as soon as the
 * owner is gone, even when the owner was killed with SIGKILL and could run no hook of its own.
 * With {@code --format ID} it first formats the storage (Kafka's {@code StorageTool format -t ID
 * -c server.properties}) in this same JVM, which saves starting a JVM for it. Then runs
 * {@code kafka.Kafka.main} with the remaining arguments.
 *
 * <p>Usage (internal to {@link LocalKafkaBroker}):
 * {@code java -cp broker-lib/*:<this module> dev.realitycheck.kafka.BrokerLauncher --parent-pid PID
 * [--format CLUSTER_ID] server.properties}. It uses nothing but the JDK and, by reflection, Kafka,
 * so it runs on the broker's classpath.
 */
public final class BrokerLauncher {

  private BrokerLauncher() {
  }

  /**
   * Watches the parent, then starts Kafka.
   *
   * @param args {@code --parent-pid PID} followed by Kafka's own arguments
   * @throws Throwable whatever {@code kafka.Kafka.main} throws
   */
  public static void main(String[] args) throws Throwable {
    if (args.length < 3 || !args[0].equals("--parent-pid")) {
      System.err.println("usage: BrokerLauncher --parent-pid PID server.properties [kafka args]");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[1]);
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty() || !parent.get().isAlive()) {
      System.err.println("BrokerLauncher: owner process " + parentPid + " is gone; not starting Kafka");
      System.exit(1);
    }
    parent.get().onExit().thenRun(() -> {
      System.err.println("BrokerLauncher: owner process " + parentPid + " exited; shutting Kafka down");
      System.exit(0);
    });
    int next = 2;
    if (args.length > 4 && args[2].equals("--format")) {
      format(args[3], args[4]);
      next = 4;
    }
    String[] kafkaArgs = Arrays.copyOfRange(args, next, args.length);
    try {
      Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) kafkaArgs);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** {@code StorageTool format -t clusterId -c serverProperties}, exiting on failure. */
  private static void format(String clusterId, String serverProperties) {
    System.out.println("BrokerLauncher: formatting the storage with cluster id " + clusterId);
    int exit;
    try {
      Object code = Class.forName("kafka.tools.StorageTool")
          .getMethod("execute", String[].class, java.io.PrintStream.class)
          .invoke(null, new String[] {"format", "-t", clusterId, "-c", serverProperties}, System.out);
      exit = (Integer) code;
    } catch (InvocationTargetException e) {
      System.out.println("BrokerLauncher: formatting the storage failed: " + e.getCause());
      exit = 1;
    } catch (ReflectiveOperationException e) {
      System.out.println("BrokerLauncher: this Kafka has no StorageTool.execute(String[], PrintStream): " + e);
      exit = 1;
    }
    if (exit != 0) {
      System.out.println("BrokerLauncher: formatting the storage failed (code " + exit + "); not starting Kafka");
      System.exit(1);
    }
  }
}
