package dev.realitycheck.embedding;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark with the service in its OWN process (prints numbers; run with {@code bin/bench-embedding}):
 * a real broker (its own JVM) carries the benchmark MLP's checkpoint to the packaged service
 * ({@code target/quarkus-app/quarkus-run.jar}, started as a child JVM with micro-batching on, then
 * off), and this JVM is only the load generator. Beside it, the in-process TensorFlow throughput of
 * the same model (measured before the service starts, so the two never share the CPU). With
 * {@code -Drealitycheck.bench.jfr=true} the service records a JFR profile into
 * {@code target/bench-service-{on,off}.jfr}. {@code -Drealitycheck.bench.service-cpus=1} starts the
 * service under {@code taskset -c 1} (run Maven under {@code taskset -c 0} to give the load generator
 * and the in-process measurement the other core); {@code -Drealitycheck.bench.modes=on} runs one mode;
 * {@code -Drealitycheck.bench.encoding=floats} sends repeated floats instead of the packed form. The
 * CPU affinities and the load average are printed with the numbers.
 * {@code -Drealitycheck.bench.separate-grpc-server=true} serves gRPC from grpc-java's Netty server
 * ({@code quarkus.grpc.server.use-separate-server=true}) instead of the Vert.x one;
 * {@code -Drealitycheck.bench.service-args="-Dx=y ..."} passes more settings to the service.
 */
@Tag("benchmark")
class EmbedBenchmarkSeparateProcessTest {

    @Test
    void benchmark() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "package the service first: " + jar);
        double seconds = EmbedBenchmarkSupport.SECONDS;
        Path zip = EmbedBenchmarkSupport.model();
        StringBuilder out = new StringBuilder("\n=== embedding-service benchmark, service in a separate process ===\n");
        String serviceCpus = System.getProperty("realitycheck.bench.service-cpus", "");
        out.append("encoding ").append(EmbedBenchmarkSupport.PACKED ? "float32_le (packed)" : "repeated float")
                .append(", ").append(seconds).append(" s per scenario, this JVM's CPUs ").append(affinity("self"))
                .append(", service CPUs ").append(serviceCpus.isEmpty() ? "(not pinned)" : serviceCpus)
                .append(Boolean.getBoolean("realitycheck.bench.separate-grpc-server") ? ", grpc-java Netty server"
                        : ", Vert.x gRPC server").append(", load average at start ").append(loadAverage()).append('\n');
        try (var unpacked = SavedModelArchive.unpack(zip);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), 256)) {
            out.append(LoadGenerator.inProcess(model, 64, seconds)).append('\n');
            out.append(LoadGenerator.inProcess(model, 1, seconds)).append('\n');
        }
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                     KafkaSettings.producer(broker.bootstrapServers(), "bench-publisher"))) {
            new CheckpointPublisher(producer, Topics.CHECKPOINTS, 512 * 1024)
                    .publish(TestModels.manifest("bench-mlp", 1), zip);
            producer.flush();
            for (String mode : System.getProperty("realitycheck.bench.modes", "on,off").split(",")) {
                int port = freePort();
                Process service = start(jar, broker.bootstrapServers(), port, mode, serviceCpus);
                try {
                    awaitModel(port, service);
                    out.append("service pid ").append(service.pid()).append(" CPUs ")
                            .append(affinity(Long.toString(service.pid()))).append('\n');
                    out.append(LoadGenerator.grpc("gRPC GetModel (no TensorFlow)", "127.0.0.1", port, 16, 1, seconds,
                            stub -> stub.getModel(GetModelRequest.getDefaultInstance()))).append('\n');
                    for (int[] clientsBatch : new int[][] {{16, 1}, {4, 64}, {16, 64}}) {
                        out.append(LoadGenerator.grpc("gRPC Embed, batching " + mode, "127.0.0.1", port,
                                EmbedBenchmarkSupport.SHAPE, clientsBatch[0], clientsBatch[1], seconds)).append('\n');
                    }
                } finally {
                    service.destroy();
                    if (!service.waitFor(20, TimeUnit.SECONDS)) {
                        service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
        out.append("load average at end ").append(loadAverage()).append('\n');
        System.out.println(out);
    }

    /** The 1, 5 and 15 minute load averages (the machine may be shared). */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The CPU affinity list of a process ({@code self} or a pid), from /proc. */
    private static String affinity(String pid) {
        try {
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(18).trim())
                    .findFirst().orElse("unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Process start(Path jar, String bootstrap, int port, String batching, String cpus) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (!cpus.isEmpty()) {
            // pin the service to its own cores (run this JVM under taskset -c <others> to pin the client)
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Drealitycheck.embedding.micro-batching=" + batching,
                "-Drealitycheck.embedding.work-dir=" + Files.createTempDirectory("embed-bench-service"),
                "-Dquarkus.log.level=WARN"));
        if (Boolean.getBoolean("realitycheck.bench.separate-grpc-server")) {
            // grpc-java's own Netty server (pooled buffers) on the benchmark port instead of Vert.x's
            cmd.addAll(List.of("-Dquarkus.grpc.server.use-separate-server=true", "-Dquarkus.grpc.server.port=" + port,
                    "-Dquarkus.http.port=" + freePort()));
        } else {
            cmd.add("-Dquarkus.http.port=" + port);
        }
        String extra = System.getProperty("realitycheck.bench.service-args", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        if (Boolean.getBoolean("realitycheck.bench.jfr")) {
            cmd.add("-XX:StartFlightRecording=dumponexit=true,settings=profile,filename="
                    + Path.of("target", "bench-service-" + batching + ".jfr").toAbsolutePath());
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        Path log = Path.of("target", "bench-service-" + batching + ".log");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the service serves the benchmark checkpoint. */
    private static void awaitModel(int port, Process service) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                if (!service.isAlive()) {
                    throw new IllegalStateException("the service exited (" + service.exitValue() + "); see target/bench-service-*.log");
                }
                try {
                    EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .getModel(GetModelRequest.getDefaultInstance());
                    return;
                } catch (io.grpc.StatusRuntimeException e) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("no model served after 120 s: " + e.getStatus());
                    }
                    Thread.sleep(250);
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
