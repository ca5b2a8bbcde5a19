package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.ProcessTrees;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.localstack.StackState;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck up}: starts the local stack ({@link LocalStack}: Kafka and the three
 * services, the same as the demo's) in the background and keeps it running. It launches a
 * supervisor, this tool again as {@code up --foreground} in a session of its own ({@code setsid},
 * so closing the terminal does not stop it), whose JVM holds the stack: the services and the
 * broker watch it ({@code ParentWatch}) and SIGTERM to it stops them all. The supervisor writes
 * the {@link StackState} file once every part is healthy; {@code up} waits for it (echoing the
 * supervisor's progress from its log) and prints the endpoints. A second {@code up} finds the
 * running stack and prints them again. {@code status} and {@code down} read the same file.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start Kafka and the trainer, embedding and evaluation services in the background and keep them running.",
                "Waits until every part is healthy and prints the endpoints; a second up prints them again.",
                "The client commands (train, runs, results, report, embed, search, gallery) then use this stack by default.",
                "bin/realitycheck status shows it, bin/realitycheck down stops it."})
public class UpCommand implements Callable<Integer> {

    /** Name of the supervisor's log and pid file in the run directory. */
    static final String SUPERVISOR = "stack";

    @Spec
    CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "logs, pid files, data and the state file (default: $REALITYCHECK_RUN_DIR, else .run in the checkout)")
    Path runDir;

    @Mixin
    StackPorts ports = new StackPorts();

    @Option(names = "--dataset", paramLabel = "NAME=DIR",
            description = "serve the dataset NAME from DIR (IDX files) to every service, e.g. fashion-mnist=/data/fm (repeatable)")
    Map<String, Path> datasets = new LinkedHashMap<>();

    @Option(names = "--service-jvm-option", paramLabel = "OPTION", description = "an extra JVM option of every service, e.g. -Xmx1g (repeatable)")
    List<String> serviceJvmOptions = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "240",
            description = "give up when the stack is not healthy within this long (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--insecure", description = "run the services without authentication (default: they require the"
            + " bearer tokens the stack writes under its run directory, credentials/)")
    boolean insecure;

    @Option(names = "--foreground", description = "run the stack in this process until Ctrl-C or SIGTERM (what up starts in the background)")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root;
        RunDirectory dir;
        try {
            root = RepositoryRoot.locate();
            dir = runDirectory(runDir);
        } catch (InputException e) {
            err.println("realitycheck up: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        if (foreground) {
            return supervise(root, dir, out, err);
        }
        Files.createDirectories(dir.root());
        try (FileChannel lockFile = FileChannel.open(dir.root().resolve("up.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                err.println("realitycheck up: another bin/realitycheck up is starting the stack in " + dir.root());
                return 1;
            }
            Optional<StackState> running = StatusCommand.running(dir, err);
            if (running.isPresent()) {
                out.println("the local stack is already up (since " + running.get().startedAt() + "; bin/realitycheck down stops it)");
                printEndpoints(running.get(), out);
                return 0;
            }
            return launch(root, dir, out, err);
        }
    }

    /** {@code --run-dir}, else {@code $REALITYCHECK_RUN_DIR}, else {@code .run} in the checkout. */
    static RunDirectory runDirectory(Path option) {
        if (option != null) {
            return new RunDirectory(option);
        }
        return StackAddresses.runDirectory().orElseThrow(() -> new InputException(
                "cannot find the Reality Check checkout: run bin/realitycheck from it, or pass --run-dir"));
    }

    /** Starts the supervisor detached, waits for its state file or its end. */
    private int launch(Path root, RunDirectory dir, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Path cliJar = root.resolve("cli").resolve(StackService.RUNNER_JAR);
        if (!Files.isRegularFile(cliJar)) {
            err.println("realitycheck up: " + cliJar + " is missing: run bin/realitycheck up (it builds what is stale)");
            return 1;
        }
        Files.createDirectories(dir.logs());
        Path log = dir.log(SUPERVISOR);
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            command.add(setsid.toString()); // a session of its own: no SIGHUP when the terminal closes
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LocalStack.jvmFlags());
        command.add("-Xmx256m"); // it only holds the processes
        command.add(dir.marker());
        command.add("-D" + RepositoryRoot.PROPERTY + "=" + root);
        command.addAll(List.of("-jar", cliJar.toString(), "up", "--foreground", "--run-dir", dir.root().toString(),
                "--timeout", Integer.toString(timeoutSeconds)));
        command.addAll(ports.arguments());
        datasets.forEach((name, path) -> command.addAll(List.of("--dataset", name + "=" + path.toAbsolutePath())));
        serviceJvmOptions.forEach(o -> command.add("--service-jvm-option=" + o));
        if (insecure) {
            command.add("--insecure");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process supervisor = pb.start();
        out.println("starting the local stack in the background (pid " + supervisor.pid() + ", log " + log + ")");
        out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 30L);
        long shown = 0;
        while (true) {
            shown = echoProgress(log, shown, out);
            Optional<StackState> state = readQuietly(dir.stateFile()).filter(s -> s.supervisorPid() == supervisor.pid());
            if (state.isPresent()) {
                echoProgress(log, shown, out);
                out.println("the local stack is up (bin/realitycheck status shows it, bin/realitycheck down stops it)");
                printEndpoints(state.get(), out);
                return 0;
            }
            if (!supervisor.isAlive() || System.nanoTime() > deadline) {
                ProcessTrees.stop(supervisor.toHandle(), Duration.ofSeconds(30));
                echoProgress(log, shown, out);
                err.println("realitycheck up: the local stack did not come up; the end of " + log + ":");
                err.println(tail(log, 25));
                return 1;
            }
            // the supervisor writes its state file when every part is healthy: nothing to block on but its exit
            supervisor.waitFor(250, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code up --foreground}: runs the stack in this JVM, writes the state file, waits for SIGTERM. */
    private int supervise(Path root, RunDirectory dir, PrintWriter out, PrintWriter err) throws InterruptedException {
        LocalStack.Builder builder = ports.applyTo(LocalStack.builder(root).runDirectory(dir.root()).insecure(insecure))
                .startupTimeout(Duration.ofSeconds(timeoutSeconds))
                .progress(line -> {
                    out.println("stack: " + line);
                    out.flush();
                });
        serviceJvmOptions.forEach(builder::jvmOption);
        datasets.forEach((name, path) -> {
            for (StackService s : StackService.values()) {
                builder.property(s.configPrefix() + ".datasets.\"" + name + "\"", path.toAbsolutePath().toString());
            }
        });
        LocalStack stack;
        try {
            stack = builder.build().start();
        } catch (IllegalStateException e) {
            err.println("realitycheck up: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // LocalStack's own hook stops the processes on SIGTERM; this one waits for them, then forgets the stack
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ProcessHandle p : stack.startedProcesses()) {
                try {
                    p.onExit().get(90, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // still alive: down finishes the job
                }
            }
            try {
                Files.deleteIfExists(dir.stateFile());
            } catch (IOException e) {
                // down deletes it too
            }
            dir.deletePid(SUPERVISOR);
            stopped.countDown();
        }, "up-forget-state"));
        dir.writePid(SUPERVISOR, ProcessHandle.current().pid());
        StackState state = stack.state();
        state.write(dir.stateFile());
        out.println("stack: every part is healthy; state in " + dir.stateFile());
        printEndpoints(state, out);
        out.flush();
        stopped.await();
        return 0;
    }

    /** The endpoints of a stack, one per line. */
    static void printEndpoints(StackState state, PrintWriter out) {
        StackAddresses a = StackAddresses.of(state);
        out.printf(Locale.ROOT, "  %-20s %s%n", "Kafka bootstrap", state.bootstrapServers());
        for (StackService s : List.of(StackService.TRAINER, StackService.EMBEDDING, StackService.EVALUATION)) {
            String address = state.service(s).address();
            out.printf(Locale.ROOT, "  %-20s gRPC %s   HTTP http://%s/q/health%n", s.module(), address, address);
        }
        out.printf(Locale.ROOT, "  %-20s %s%n", "experiments page", a.experimentsPage());
        out.printf(Locale.ROOT, "  %-20s %s%n", "logs", state.runDirectory().resolve("logs"));
        out.flush();
    }

    private static Optional<StackState> readQuietly(Path file) {
        try {
            return StackState.read(file);
        } catch (RuntimeException e) {
            return Optional.empty(); // being replaced: read again on the next round
        }
    }

    /** Prints the supervisor's "stack: ..." lines written since {@code from}; returns the new offset. */
    private static long echoProgress(Path log, long from, PrintWriter out) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= from) {
                return from;
            }
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return from;
            }
            for (String line : text.substring(0, end).split("\n")) {
                if (line.startsWith("stack: ")) {
                    out.println("  " + line.substring("stack: ".length()));
                }
            }
            out.flush();
            return from + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            return from; // not created yet
        }
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
