package dev.realitycheck.embedding;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.testsupport.TestPorts;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark with the service in its OWN process (prints numbers; run with {@code bin/bench-embedding}):
 * a real broker (its own JVM) carries the benchmark MLP's checkpoint to the packaged service
 * ({@code target/quarkus-app/quarkus-run.jar}), started as one child JVM per mode at the same time
 * (default {@code -Drealitycheck.bench.modes=on,off}: micro-batching on and off; a mode
 * {@code on-worker}/{@code off-worker} also sets {@code decode-on-worker=true}); this JVM is only
 * the load generator. Each scenario alternates between the services in
 * {@code -Drealitycheck.bench.rounds} (4) slices of {@code -Drealitycheck.bench.slice-seconds} (2 s),
 * with in-process TensorFlow slices of the same batch size (the ceiling, same model) in between, so that
 * on a shared machine every measurement sees the same mix of load. The in-process throughput before the
 * services start is printed too.
 *
 * <p>{@code -Drealitycheck.bench.service-cpus=1} starts the services under {@code taskset -c 1} (run
 * Maven under {@code taskset -c 0} to give the load generator and the in-process measurement the other
 * core); {@code -Drealitycheck.bench.encoding=uint8} sends one byte per pixel and {@code floats} repeated
 * floats instead of the packed {@code float32_le} form; {@code -Drealitycheck.bench.model=cnn} serves the
 * small CNN instead of the MLP; {@code -Drealitycheck.bench.warmup-seconds} (30) of mixed calls warm each
 * service's JIT before anything is measured, and more mixed calls follow until its JIT compiler threads use at
 * most 2% of its CPU over 8 s (at most {@code -Drealitycheck.bench.jit-settle-seconds}, 120): on one core a
 * service still compiling after a fixed warm-up had its compilations counted as CPU per request;
 * {@code -Drealitycheck.bench.separate-grpc-server=true} serves gRPC from grpc-java's Netty server
 * ({@code quarkus.grpc.server.use-separate-server=true}) instead of the Vert.x one, for every mode; a mode
 * ending in {@code -netty} ({@code on-netty}, {@code off-netty}) does so for that mode only, so both servers
 * are measured in the same slices of one run;
 * {@code -Drealitycheck.bench.service-args="-Dx=y;-Dz=w"} passes more settings to the services;
 * {@code -Drealitycheck.bench.baseline-jar=PATH} starts one more service, mode {@code baseline} (batching on),
 * from another build's {@code quarkus-run.jar} (e.g. a copy of {@code target/quarkus-app} made before a
 * change), so a change and its baseline are measured in the same slices of the same run; modes starting with
 * {@code baseline} in the list (e.g. {@code on,on-netty,baseline,baseline-netty}) all run that build;
 * {@code -Drealitycheck.bench.jfr=true} records a JFR profile of each into
 * {@code target/bench-service-MODE.jfr}. The CPU affinities and the load average are printed with the
 * numbers. Each line also gives the service's items per CPU-second against the in-process slices' items per
 * CPU-second ("per CPU-second N% of in-process"): on a machine shared with other work the service may get less
 * than its core, and this share is what it would reach with the core to itself. The in-process slices have no
 * client, so that share counts the service alone; "with its client" counts the load generator's CPU too (what a
 * caller on the same machine pays in all). A second line splits the service's CPU per request by thread group
 * ({@link ThreadCpu}): event loops, the batcher thread that runs TensorFlow, the JIT, GC.
 */
@Tag("benchmark")
class EmbedBenchmarkSeparateProcessTest {

    /** The JIT is taken as quiet when its compiler threads use at most this share of a service's CPU. */
    private static final double JIT_QUIET = 0.02;

    /** Each mode's HTTP port, where its /q/metrics are (the gRPC port, except for grpc-java's server). */
    private static final Map<String, Integer> METRICS_PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void benchmark() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar), "package the service first: " + jar);
        double slice = Double.parseDouble(System.getProperty("realitycheck.bench.slice-seconds", "2"));
        int rounds = Integer.getInteger("realitycheck.bench.rounds", 4);
        Path zip = EmbedBenchmarkSupport.model();
        StringBuilder out = new StringBuilder("\n=== embedding-service benchmark, service in a separate process ===\n");
        String serviceCpus = System.getProperty("realitycheck.bench.service-cpus", "");
        List<String> modes = new ArrayList<>(List.of(System.getProperty("realitycheck.bench.modes", "on,off").split(",")));
        if (System.getProperty("realitycheck.bench.baseline-jar") != null && modes.stream().noneMatch(m -> m.startsWith("baseline"))) {
            modes.add("baseline");
        }
        out.append("model ").append(EmbedBenchmarkSupport.MODEL).append(", encoding ").append(EmbedBenchmarkSupport.ENCODING)
                .append(", ").append(rounds).append(" alternating slices of ").append(slice)
                .append(" s per scenario and server, this JVM's CPUs ").append(affinity("self"))
                .append(", service CPUs ").append(serviceCpus.isEmpty() ? "(not pinned)" : serviceCpus)
                .append(Boolean.getBoolean("realitycheck.bench.separate-grpc-server") ? ", grpc-java Netty server"
                        : ", Vert.x gRPC server")
                .append(", service args [").append(System.getProperty("realitycheck.bench.service-args", ""))
                .append("], load average at start ").append(loadAverage()).append('\n');
        try (var unpacked = SavedModelArchive.unpack(zip);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), 256);
             LocalKafkaBroker broker = LocalKafkaBroker.builder().build().start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                     KafkaSettings.producer(broker.bootstrapServers(), "bench-publisher"))) {
            out.append("before the services start: ").append(LoadGenerator.inProcess(model, 64, 3)).append('\n');
            LoadGenerator.Result single = LoadGenerator.inProcess(model, 1, 3);
            LoadGenerator.Result sixteen = LoadGenerator.inProcess(model, 16, 3);
            out.append("before the services start: ").append(single).append('\n');
            out.append("before the services start: ").append(sixteen).append('\n');
            out.append(String.format(java.util.Locale.ROOT, "TensorFlow alone: batch 16 gives %.2fx the items/s of batch 1"
                    + " (what micro-batching 16 single-item clients can gain at most, with a free RPC)%n",
                    sixteen.itemsPerSecond() / single.itemsPerSecond()));
            new CheckpointPublisher(producer, Topics.CHECKPOINTS, 512 * 1024)
                    .publish(TestModels.manifest("bench-" + EmbedBenchmarkSupport.MODEL, 1), zip);
            producer.flush();
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, Long> pids = new LinkedHashMap<>();
            List<Process> services = new ArrayList<>();
            try {
                // every mode's service runs at once; scenarios alternate between them slice by slice
                for (String mode : modes) {
                    int port = TestPorts.free();
                    Path serviceJar = mode.startsWith("baseline") ? Path.of(System.getProperty("realitycheck.bench.baseline-jar"))
                            : jar;
                    services.add(start(serviceJar, broker.bootstrapServers(), port, mode, serviceCpus));
                    ports.put(mode, port);
                    pids.put(mode, services.getLast().pid());
                }
                for (int i = 0; i < modes.size(); i++) {
                    awaitModel(ports.get(modes.get(i)), services.get(i));
                    out.append("service ").append(modes.get(i)).append(" pid ").append(services.get(i).pid())
                            .append(" CPUs ").append(affinity(Long.toString(services.get(i).pid()))).append('\n');
                }
                // the JIT compiles the service's hot paths for tens of seconds (on a pinned core it competes with
                // the requests): every kind of call runs first, unmeasured, so that slices see a warm service
                double warmup = Double.parseDouble(System.getProperty("realitycheck.bench.warmup-seconds", "30"));
                EmbedRequest one = LoadGenerator.request(EmbedBenchmarkSupport.SHAPE, 1, 1, EmbedBenchmarkSupport.ENCODING);
                EmbedRequest many = LoadGenerator.request(EmbedBenchmarkSupport.SHAPE, 64, 1, EmbedBenchmarkSupport.ENCODING);
                for (var e : ports.entrySet()) {
                    try (LoadGenerator.Clients c = new LoadGenerator.Clients("127.0.0.1", e.getValue(), 16)) {
                        for (int i = 0; i < 3; i++) {
                            mixed(c, one, many, warmup / 12);
                        }
                        // then until the JIT is quiet: its compilations would be counted as CPU per request
                        double left = Double.parseDouble(System.getProperty("realitycheck.bench.jit-settle-seconds", "120"));
                        long pid = pids.get(e.getKey());
                        double jitShare = 1;
                        while (left > 0 && jitShare > JIT_QUIET) {
                            Map<String, Double> before = ThreadCpu.byGroup(pid);
                            mixed(c, one, many, 2);
                            Map<String, Double> used = ThreadCpu.minus(ThreadCpu.byGroup(pid), before);
                            double all = used.values().stream().mapToDouble(Double::doubleValue).sum();
                            jitShare = all > 0 ? used.getOrDefault(ThreadCpu.JIT, 0.0) / all : 0;
                            left -= 8;
                        }
                        out.append(String.format(java.util.Locale.ROOT, "warm-up of %s: %.0f s of mixed calls, then"
                                + " until the JIT compilers used <= %.0f%% of its CPU over 8 s: %.1f%% at the end%n",
                                e.getKey(), warmup, 100 * JIT_QUIET, 100 * jitShare));
                    }
                }
                scenario(out, "gRPC GetModel (no TensorFlow)", ports, pids, 16, 1, null, slice, rounds,
                        stub -> stub.getModel(GetModelRequest.getDefaultInstance()));
                for (int[] clientsBatch : new int[][] {{16, 1}, {4, 64}, {16, 64}}) {
                    EmbedRequest request = LoadGenerator.request(EmbedBenchmarkSupport.SHAPE, clientsBatch[1], 1,
                            EmbedBenchmarkSupport.ENCODING);
                    scenario(out, "gRPC Embed", ports, pids, clientsBatch[0], clientsBatch[1], model, slice, rounds,
                            stub -> stub.embed(request));
                }
                // the same single items, each client sending them one after another on its own EmbedStream
                scenario(out, "gRPC EmbedStream", ports, pids, 16, 1, model, slice, rounds, streamed(one));
            } finally {
                for (Process service : services) {
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

    /** Every kind of call, {@code seconds} each: GetModel, Embed of one item and of a batch, one item on EmbedStream. */
    private static void mixed(LoadGenerator.Clients c, EmbedRequest one, EmbedRequest many, double seconds) throws Exception {
        c.run(stub -> stub.getModel(GetModelRequest.getDefaultInstance()), seconds);
        c.run(stub -> stub.embed(one), seconds);
        c.run(stub -> stub.embed(many), seconds);
        c.run(streamed(one), seconds);
    }

    /**
     * One scenario on every service, in {@code rounds} alternating slices (the order flips each round),
     * with in-process slices of the same batch size in between when {@code model} is given.
     */
    private static void scenario(StringBuilder out, String name, Map<String, Integer> ports, Map<String, Long> pids,
                                 int clients, int batch,
                                 SavedModelEmbedder model, double slice, int rounds, LoadGenerator.Call call)
            throws Exception {
        Map<String, LoadGenerator.Clients> sessions = new LinkedHashMap<>();
        Map<String, List<LoadGenerator.Slice>> slices = new LinkedHashMap<>();
        try {
            for (var e : ports.entrySet()) {
                LoadGenerator.Clients c = new LoadGenerator.Clients("127.0.0.1", e.getValue(), clients);
                sessions.put(e.getKey(), c);
                slices.put(e.getKey(), new ArrayList<>());
                c.run(call, 1.0); // warm-up
            }
            Map<String, double[]> batchesBefore = new LinkedHashMap<>();
            for (var e : ports.entrySet()) {
                batchesBefore.put(e.getKey(), batchSizes(METRICS_PORTS.get(e.getKey())));
            }
            float[] inputs = model == null ? null : new float[batch * model.inputSize()];
            List<LoadGenerator.Slice> local = new ArrayList<>();
            List<String> order = new ArrayList<>(ports.keySet());
            // CPU seconds used during each server's slices: by the server, and by this JVM (the load generator)
            Map<String, double[]> cpu = new LinkedHashMap<>();
            // the same service CPU by thread group (ThreadCpu): where each request's CPU goes
            Map<String, Map<String, Double>> threads = new LinkedHashMap<>();
            long self = ProcessHandle.current().pid();
            double localCpu = 0; // CPU seconds of the in-process slices
            for (int r = 0; r < rounds; r++) {
                for (String mode : order) {
                    double serverBefore = cpuSeconds(pids.get(mode));
                    double clientBefore = cpuSeconds(self);
                    Map<String, Double> threadsBefore = ThreadCpu.byGroup(pids.get(mode));
                    LoadGenerator.Slice s = sessions.get(mode).run(call, slice);
                    ThreadCpu.add(threads.computeIfAbsent(mode, m -> new java.util.TreeMap<>()),
                            ThreadCpu.minus(ThreadCpu.byGroup(pids.get(mode)), threadsBefore));
                    slices.get(mode).add(s);
                    double[] c = cpu.computeIfAbsent(mode, m -> new double[3]);
                    c[0] += cpuSeconds(pids.get(mode)) - serverBefore;
                    c[1] += cpuSeconds(self) - clientBefore;
                    c[2] += s.seconds();
                }
                if (inputs != null) {
                    double before = cpuSeconds(self);
                    local.add(LoadGenerator.inProcessSlice(model, inputs, batch, slice / 2));
                    localCpu += cpuSeconds(self) - before;
                }
                java.util.Collections.reverse(order);
            }
            double ceiling = 0;
            double localItemsPerCpuSecond = 0;
            if (inputs != null) {
                LoadGenerator.Result r = LoadGenerator.summarize("in-process, same time", 1, batch, local);
                ceiling = r.itemsPerSecond();
                localItemsPerCpuSecond = (double) r.requests() * batch / localCpu;
                out.append(r).append(String.format(java.util.Locale.ROOT, "  %.0f items per CPU-second (%.0f us CPU per call)",
                        localItemsPerCpuSecond, 1e6 * localCpu / r.requests())).append('\n');
            }
            for (var e : slices.entrySet()) {
                LoadGenerator.Result r = LoadGenerator.summarize(name + ", batching " + e.getKey(), clients, batch,
                        e.getValue());
                out.append(r);
                double[] before = batchesBefore.get(e.getKey());
                double[] after = batchSizes(METRICS_PORTS.get(e.getKey()));
                if (after[0] > before[0]) {
                    out.append(String.format(java.util.Locale.ROOT, "  %.1f items per TF call", (after[1] - before[1])
                            / (after[0] - before[0])));
                }
                if (after[2] > before[2]) {
                    // the other services' slices allocate nothing in this one, so its growth is its own requests'
                    out.append(String.format(java.util.Locale.ROOT, "  %.0f KB allocated/request",
                            (after[2] - before[2]) / 1e3 / r.requests()));
                }
                if (ceiling > 0) {
                    out.append(String.format(java.util.Locale.ROOT, "  = %.0f%% of in-process", 100 * r.itemsPerSecond() / ceiling));
                }
                double[] c = cpu.get(e.getKey());
                out.append(String.format(java.util.Locale.ROOT, "  CPU: service %.2f cores (%.0f us/request), load generator %.2f cores",
                        c[0] / c[2], 1e6 * c[0] / r.requests(), c[1] / c[2]));
                if (localItemsPerCpuSecond > 0) {
                    // what the share would be with a core to itself: items per service CPU-second against in-process
                    out.append(String.format(java.util.Locale.ROOT, "  per CPU-second %.0f%% of in-process (%.0f%% with its client)",
                            100 * r.requests() * batch / c[0] / localItemsPerCpuSecond,
                            100 * r.requests() * batch / (c[0] + c[1]) / localItemsPerCpuSecond));
                }
                out.append("\n    service CPU per request by thread, us: ")
                        .append(ThreadCpu.perRequest(threads.get(e.getKey()), r.requests())).append('\n');
            }
            for (String[] pair : new String[][] {{"on", "off"}, {"on", "baseline"}, {"on", "on-netty"},
                    {"on-netty", "baseline-netty"}}) {
                if (slices.containsKey(pair[0]) && slices.containsKey(pair[1])) {
                    double one = LoadGenerator.summarize("", clients, batch, slices.get(pair[0])).itemsPerSecond();
                    double other = LoadGenerator.summarize("", clients, batch, slices.get(pair[1])).itemsPerSecond();
                    out.append(String.format(java.util.Locale.ROOT, "  %s / %s = %.2fx%n", pair[0], pair[1], one / other));
                }
            }
        } finally {
            for (LoadGenerator.Clients c : sessions.values()) {
                c.close();
            }
        }
    }

    /**
     * A call that sends {@code request} on the client's own EmbedStream (opened on first use, one per
     * channel, no deadline on the stream) and waits up to 30 s for its answer: closed-loop streaming.
     */
    private static LoadGenerator.Call streamed(EmbedRequest request) {
        Map<io.grpc.Channel, io.grpc.stub.BlockingClientCall<EmbedRequest, dev.realitycheck.proto.v1.EmbedResponse>> streams =
                new java.util.concurrent.ConcurrentHashMap<>();
        return stub -> {
            var call = streams.computeIfAbsent(stub.getChannel(),
                    channel -> EmbeddingServiceGrpc.newBlockingV2Stub(channel).embedStream());
            try {
                if (!call.write(request, 30, TimeUnit.SECONDS) || call.read(30, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("the stream ended");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (java.util.concurrent.TimeoutException | io.grpc.StatusException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /**
     * The service's micro-batch count and item total so far ({@code realitycheck_embedding_batch_size}) and the
     * bytes its JVM allocated so far ({@code jvm_gc_memory_allocated_bytes_total}, counted at each young GC).
     * HTTP/1.1 and a bounded wait: the JDK client's default HTTP/2 upgrade could hang on this server.
     */
    private static double[] batchSizes(Integer port) {
        double[] countSum = new double[3];
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(10)).build()) {
            String text = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                            .timeout(java.time.Duration.ofSeconds(30)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("realitycheck_embedding_batch_size_count")) {
                    countSum[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("realitycheck_embedding_batch_size_sum")) {
                    countSum[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("jvm_gc_memory_allocated_bytes_total")) {
                    countSum[2] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            // no metrics (e.g. separate gRPC server on another port): no batch sizes printed
        }
        return countSum;
    }

    /** CPU seconds (user + system) a process has used so far, from {@code /proc/PID/stat} (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) {
        try {
            return ThreadCpu.seconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
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
                "-Drealitycheck.embedding.micro-batching=" + !batching.startsWith("off"),
                "-Drealitycheck.embedding.decode-on-worker=" + batching.endsWith("-worker"),
                "-Drealitycheck.embedding.work-dir=" + Files.createTempDirectory("embed-bench-service"),
                "-Dquarkus.log.level=WARN",
                // the benchmark's checkpoint is unsigned and its clients send no credentials (docs/security.md)
                "-Drealitycheck.embedding.signing.verify=false", "-Drealitycheck.security.enabled=false"));
        if (Boolean.getBoolean("realitycheck.bench.separate-grpc-server") || batching.endsWith("-netty")) {
            // grpc-java's own Netty server (pooled buffers) on the benchmark port instead of Vert.x's; metrics stay on HTTP
            int http = TestPorts.free();
            cmd.addAll(List.of("-Dquarkus.grpc.server.use-separate-server=true", "-Dquarkus.grpc.server.port=" + port,
                    "-Dquarkus.http.port=" + http));
            METRICS_PORTS.put(batching, http);
        } else {
            cmd.add("-Dquarkus.http.port=" + port);
            METRICS_PORTS.put(batching, port);
        }
        String extra = System.getProperty("realitycheck.bench.service-args", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("[\\s;]+")));
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
}
