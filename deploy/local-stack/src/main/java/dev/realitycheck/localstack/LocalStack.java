package dev.realitycheck.localstack;

import dev.realitycheck.kafka.BrokerLib;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.transport.KafkaClientOverrides;
import dev.realitycheck.transport.KafkaPrincipal;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The whole system on this machine, for {@code bin/realitycheck demo} and the e2e test: a real
 * Kafka broker ({@link LocalKafkaBroker}, own JVM) and the three packaged services
 * ({@link StackService#runnerJar}) as child JVMs, each with its port, its log
 * ({@code <run dir>/logs/<name>.log}) and its pid file ({@code <run dir>/pids/}). The broker it
 * starts authenticates and authorizes every client ({@link LocalKafkaUsers}): each service runs as
 * its own Kafka user, with its client file under {@code <run dir>/kafka-users/}.
 *
 * <p>{@link #start()} returns when the broker answers and every service is healthy (bounded by
 * {@link Builder#startupTimeout}); on any failure it stops what it started and throws with the
 * end of the failing service's log. {@link #close()} stops the services and the broker with their
 * process trees (SIGTERM, SIGKILL after {@link Builder#shutdownGrace}) and deletes the pid files.
 * Nothing outlives the JVM that started the stack: a shutdown hook closes it on exit and
 * Ctrl-C, and every child watches this JVM and exits when it disappears, even on SIGKILL
 * ({@link ParentWatch}; the broker's {@code BrokerLauncher} does the same). {@code deploy/local/stop}
 * kills whatever the pid files still name.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.builder(repositoryRoot).build().start()) {
 *   String trainer = stack.service(StackService.TRAINER).address();   // gRPC
 *   ...
 * }
 * }</pre>
 */
public final class LocalStack implements AutoCloseable {

    /** The name of the broker's log and pid file. */
    public static final String KAFKA = "kafka";
    /** Quarkus' main class inside {@code quarkus-run.jar}. */
    static final String QUARKUS_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private final Builder settings;
    private final RunDirectory runDirectory;
    // concurrent: the shutdown hook stops the stack while start() may still be launching
    private final Map<StackService, ServiceProcess> services = new ConcurrentHashMap<>();
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();
    private volatile LocalKafkaBroker broker;
    private volatile String bootstrapServers;
    // each service's Kafka client file when this stack started its broker (SASL and ACLs), else empty
    private volatile Map<KafkaPrincipal, Path> kafkaClientConfigs = Map.of();
    private Thread shutdownHook;
    private volatile boolean closed;
    private volatile LocalCredentials credentials;

    private LocalStack(Builder b) {
        this.settings = b;
        this.runDirectory = new RunDirectory(b.runDirectory != null ? b.runDirectory : b.root.resolve(".run"));
    }

    /**
     * A stack of this repository's packaged services, with the defaults: run directory
     * {@code <root>/.run}, broker on 9092, services on 8081-8083.
     *
     * @param repositoryRoot the directory holding the service modules and deploy/kafka-broker
     */
    public static Builder builder(Path repositoryRoot) {
        return new Builder(repositoryRoot);
    }

    /**
     * Starts the broker (unless {@link Builder#bootstrapServers} names one) and the services, and
     * waits until each is healthy.
     *
     * @return this stack, running
     * @throws IllegalStateException when a jar is missing, a port is taken, or a process does not
     *     come up in time; everything started is stopped first
     */
    public synchronized LocalStack start() {
        if (closed) {
            throw new IllegalStateException("this stack was closed; build a new one");
        }
        checkBeforeStart();
        runDirectory.prepare();
        credentials = settings.insecure ? null : LocalCredentials.create(runDirectory.root());
        shutdownHook = new Thread(this::stopAll, "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            startBroker();
            for (StackService service : settings.services) {
                launch(service);
            }
            long deadline = System.nanoTime() + settings.startupTimeout.toNanos();
            for (StackService service : settings.services) {
                ServiceProcess p = services.get(service);
                p.awaitHealthy(service.startedPath(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                settings.progress.accept(service.module() + " is up on port " + p.port() + " (log " + p.log() + ")");
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The JWT key pair and tokens the services trust (under the run directory); empty when started insecure. */
    public java.util.Optional<LocalCredentials> credentials() {
        return java.util.Optional.ofNullable(credentials);
    }

    /** The running service. */
    public ServiceProcess service(StackService service) {
        ServiceProcess p = services.get(service);
        if (p == null) {
            throw new IllegalStateException(service.module() + " is not part of this stack");
        }
        return p;
    }

    /** The broker's bootstrap servers (the configured one when no broker was started here). */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    public RunDirectory runDirectory() {
        return runDirectory;
    }

    /**
     * What runs, for the state file of {@code bin/realitycheck up}: this JVM as the supervisor, the
     * broker's pid (0 when the stack uses a broker it did not start) and each service's pid and port.
     *
     * @throws IllegalStateException when the stack does not run every service
     */
    public StackState state() {
        Map<StackService, StackState.Endpoint> endpoints = new EnumMap<>(StackService.class);
        for (StackService s : StackService.values()) {
            ServiceProcess p = service(s);
            endpoints.put(s, new StackState.Endpoint(p.handle().pid(), p.port()));
        }
        LocalKafkaBroker kafka = broker;
        long kafkaPid = kafka == null ? 0 : kafka.processHandle().map(ProcessHandle::pid).orElse(0L);
        return new StackState(ProcessHandle.current().pid(), runDirectory.root(), bootstrapServers, kafkaPid, endpoints,
                java.time.Instant.now());
    }

    /** Every process this stack started (broker and services), alive or not. */
    public List<ProcessHandle> startedProcesses() {
        return List.copyOf(started);
    }

    /**
     * Stops the services and the broker (with everything they started) and deletes their pid files.
     * Idempotent.
     *
     * @throws IllegalStateException if a process survived even SIGKILL
     */
    @Override
    public synchronized void close() {
        List<ProcessHandle> survivors = stopAll();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs or ran
            }
            shutdownHook = null;
        }
        if (!survivors.isEmpty()) {
            throw new IllegalStateException("processes still alive after SIGKILL: " + survivors);
        }
    }

    /** Stops everything started so far; runs in close() and in the shutdown hook (so: no lock). */
    private List<ProcessHandle> stopAll() {
        closed = true;
        List<ProcessHandle> survivors = new ArrayList<>();
        List<Thread> stoppers = new ArrayList<>();
        for (Map.Entry<StackService, ServiceProcess> e : services.entrySet()) {
            Thread t = new Thread(() -> {
                List<ProcessHandle> left = e.getValue().stop(settings.shutdownGrace);
                synchronized (survivors) {
                    survivors.addAll(left);
                }
                if (left.isEmpty()) {
                    runDirectory.deletePid(e.getKey().module());
                }
            }, "stop-" + e.getKey().module());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        LocalKafkaBroker kafka = broker;
        if (kafka != null) {
            Optional<ProcessHandle> handle = kafka.processHandle();
            try {
                kafka.stop(); // SIGTERM (controlled shutdown), SIGKILL after its shutdown timeout
            } catch (RuntimeException ex) {
                handle.ifPresent(h -> ProcessTrees.stop(h, Duration.ZERO));
            }
            if (handle.isPresent() && handle.get().isAlive()) {
                survivors.add(handle.get());
            } else {
                runDirectory.deletePid(KAFKA);
            }
        }
        return survivors;
    }

    private void checkBeforeStart() {
        for (StackService service : settings.services) {
            Path jar = service.runnerJar(settings.root);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build the services with ./mvnw -B -pl "
                        + String.join(",", settings.services.stream().map(StackService::module).toList())
                        + " -am package -DskipTests");
            }
            int port = settings.ports.getOrDefault(service, service.defaultPort());
            if (port != 0 && !isFree(port)) {
                throw new IllegalStateException("port " + port + " for " + service.module()
                        + " is taken (is a local stack still running? bin/realitycheck down, or deploy/local/stop after an"
                        + " interrupted demo, stops it)");
            }
        }
        if (settings.bootstrapServers == null && settings.kafkaPort != 0 && !isFree(settings.kafkaPort)) {
            throw new IllegalStateException("port " + settings.kafkaPort + " for Kafka is taken (deploy/local/kafka"
                    + " status, or deploy/local/stop after an interrupted local stack)");
        }
    }

    private void startBroker() {
        if (settings.bootstrapServers != null) {
            bootstrapServers = settings.bootstrapServers;
            return;
        }
        settings.progress.accept("starting Kafka (log " + runDirectory.log(KAFKA) + ")");
        runDirectory.clear(runDirectory.kafkaData());
        runDirectory.clear(runDirectory.log(KAFKA)); // LocalKafkaBroker appends; the services' logs start empty too
        List<String> jvm = new ArrayList<>(LocalKafkaBroker.DEFAULT_JVM_OPTIONS);
        jvm.add(runDirectory.marker());
        Path brokerLib = settings.root.resolve(BrokerLib.RELATIVE_PATH);
        // SASL and ACLs (LocalKafkaUsers): the clients' port is the stack's; the broker's own port is its readiness probe's
        int clientPort = settings.kafkaPort != 0 ? settings.kafkaPort : freePort();
        int probePort = freePort();
        int controllerPort = freePort();
        LocalKafkaUsers users = LocalKafkaUsers.generate();
        var builder = LocalKafkaBroker.builder().port(probePort).controllerPort(controllerPort).dataDir(runDirectory.kafkaData())
                .logFile(runDirectory.log(KAFKA)).brokerLib(Files.isDirectory(brokerLib) ? brokerLib : null)
                .jvmOptions(jvm);
        users.brokerProperties("127.0.0.1", clientPort, probePort, controllerPort).forEach(builder::property);
        broker = builder.build();
        broker.start();
        broker.processHandle().ifPresent(h -> {
            started.add(h);
            runDirectory.writePid(KAFKA, h.pid());
        });
        bootstrapServers = "127.0.0.1:" + clientPort;
        users.provision(bootstrapServers);
        kafkaClientConfigs = users.writeClientConfigs(runDirectory.root().resolve(LocalKafkaUsers.DIRECTORY));
        settings.progress.accept("Kafka is up on " + bootstrapServers);
    }

    private void launch(StackService service) {
        int port = settings.ports.getOrDefault(service, service.defaultPort());
        if (port == 0) {
            port = freePort();
        }
        Path work = runDirectory.work(service);
        runDirectory.clear(work);
        Path log = runDirectory.log(service.module());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.addAll(AotCache.flags(service.runnerJar(settings.root)));
        command.addAll(manifestFlags(service.runnerJar(settings.root)));
        command.addAll(settings.jvmOptions);
        command.add(runDirectory.marker());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("quarkus.http.host", "127.0.0.1"); // a local stack: not reachable from other machines
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put(service.configPrefix() + ".work-dir", work.toString());
        properties.putAll(LocalSigningKeys.of(runDirectory).ensure().properties(service)); // signatures on
        Path kafkaClient = kafkaClientConfigs.get(LocalKafkaUsers.principal(service));
        if (kafkaClient != null) {
            properties.put(KafkaClientOverrides.CONFIG_FILE_PROPERTY, kafkaClient.toString());
        }
        if (credentials != null) {
            properties.putAll(credentials.serviceProperties());
        } else {
            properties.put("realitycheck.security.enabled", "false");
        }
        properties.putAll(settings.properties);
        properties.putAll(settings.serviceProperties.getOrDefault(service, Map.of()));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        // the jar first: a class archive holds only when its training run's class path is a prefix of this one
        command.add(service.runnerJar(settings.root) + File.pathSeparator + runDirectory.lib());
        command.add(ParentWatch.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(QUARKUS_MAIN);
        if (closed) {
            throw new IllegalStateException("the stack is stopping; " + service.module() + " not started");
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(runDirectory.root().toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        serviceEnvironment(service, pb.environment());
        settings.progress.accept("starting " + service.module() + " on port " + port + " (log " + log + ")");
        try {
            Process process = pb.start();
            started.add(process.toHandle());
            runDirectory.writePid(service.module(), process.pid());
            ServiceProcess serviceProcess = new ServiceProcess(service, port, log, process);
            services.put(service, serviceProcess);
            if (closed) { // the shutdown hook ran while this one was starting
                serviceProcess.stop(Duration.ZERO);
                throw new IllegalStateException("the stack is stopping; " + service.module() + " stopped");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + service.module() + ": " + e.getMessage(), e);
        }
    }

    /** The flags every JVM of this project runs with (the Vector API, native access; bin/jdk.sh has the same). */
    public static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    /**
     * The {@code Add-Opens}/{@code Add-Exports} of the jar's manifest as command-line flags: the JVM
     * honours them only for {@code java -jar}, and the services run with {@code -cp} (behind
     * {@link ParentWatch}); without them Quarkus' threads fail on Java 24+.
     */
    static List<String> manifestFlags(Path jar) {
        List<String> flags = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return flags;
            }
            for (String attribute : List.of("Add-Opens", "Add-Exports")) {
                String value = manifest.getMainAttributes().getValue(attribute);
                if (value == null) {
                    continue;
                }
                for (String target : value.trim().split("\\s+")) {
                    flags.add("--" + attribute.toLowerCase(java.util.Locale.ROOT) + "=" + target + "=ALL-UNNAMED");
                }
            }
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar + ": " + e.getMessage(), e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port: " + e.getMessage(), e);
        }
    }

    /** Settings of a {@link LocalStack}; every one has a default. */
    public static final class Builder {

        private final Path root;
        private Path runDirectory;
        private String bootstrapServers;
        private int kafkaPort = 9092;
        private final Map<StackService, Integer> ports = new EnumMap<>(StackService.class);
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<StackService, Map<String, String>> serviceProperties = new EnumMap<>(StackService.class);
        private final List<String> jvmOptions = new ArrayList<>();
        private List<StackService> services = List.of(StackService.values());
        private Duration startupTimeout = Duration.ofSeconds(180);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Consumer<String> progress = line -> { };
        private boolean insecure;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "repository root").toAbsolutePath().normalize();
        }

        /** Where logs, pid files and data go (default {@code <root>/.run}). */
        public Builder runDirectory(Path dir) {
            this.runDirectory = dir;
            return this;
        }

        /**
         * Whether the services run without authentication ({@code realitycheck.security.enabled=false}); by
         * default they require the bearer tokens {@link LocalCredentials} makes at start.
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /** Use this broker instead of starting one (null: start one). */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** Port of the broker this stack starts (default 9092; 0 picks a free one). */
        public Builder kafkaPort(int port) {
            this.kafkaPort = checkPort(port);
            return this;
        }

        /** A service's port (default {@link StackService#defaultPort()}; 0 picks a free one). */
        public Builder port(StackService service, int port) {
            ports.put(service, checkPort(port));
            return this;
        }

        /** Every service's ports are picked free (tests). */
        public Builder freePorts() {
            for (StackService s : StackService.values()) {
                ports.put(s, 0);
            }
            return kafkaPort(0);
        }

        /** A configuration property ({@code -Dkey=value}) given to every service. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** A configuration property given to one service (wins over {@link #property}). */
        public Builder property(StackService service, String key, String value) {
            serviceProperties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** Extra JVM options of every service, e.g. {@code -Xmx1g}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Which services to start (default all three), in start order. */
        public Builder services(StackService... which) {
            this.services = List.of(which);
            return this;
        }

        /** Bound on the whole start (default 180 s). */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long each process may take to stop gracefully before it is killed (default 30 s). */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /** Receives one line per step ("starting trainer-service on port 8081 ..."). */
        public Builder progress(Consumer<String> sink) {
            this.progress = Objects.requireNonNull(sink, "sink");
            return this;
        }

        public LocalStack build() {
            return new LocalStack(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            return port;
        }
    }

    /**
     * A service process's environment, adjusted from this process's: no inherited JVM options,
     * TensorFlow's INFO lines off (they drown the log) and, for the trainer,
     * {@code TF_OVERRIDE_GLOBAL_THREADPOOL=true}, so that each training session gets the intra-op
     * threads its settings ask for, not those of the process's first TensorFlow session (the image
     * decoder's has one; docs/training.md, "Thread settings"). Values already set are kept.
     */
    static void serviceEnvironment(StackService service, Map<String, String> environment) {
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "1");
        if (service == StackService.TRAINER) {
            environment.putIfAbsent("TF_OVERRIDE_GLOBAL_THREADPOOL", "true");
        }
    }
}
