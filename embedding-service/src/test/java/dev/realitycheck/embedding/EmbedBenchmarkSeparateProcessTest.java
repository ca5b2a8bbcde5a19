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
 * {@code target/bench-service-{on,off}.jfr}.
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
            for (String mode : List.of("on", "off")) {
                int port = freePort();
                Process service = start(jar, broker.bootstrapServers(), port, mode);
                try {
                    awaitModel(port, service);
                    out.append(LoadGenerator.grpc("gRPC GetModel (no TensorFlow)", "127.0.0.1", port, 16, 1, seconds,
                            stub -> stub.getModel(GetModelRequest.getDefaultInstance()))).append('\n');
                    for (int[] clientsBatch : new int[][] {{16, 1}, {4, 64}, {8, 64}}) {
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
        System.out.println(out);
    }

    private static Process start(Path jar, String bootstrap, int port, String batching) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port, "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Drealitycheck.embedding.micro-batching=" + batching,
                "-Drealitycheck.embedding.work-dir=" + Files.createTempDirectory("embed-bench-service"),
                "-Dquarkus.log.level=WARN"));
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
