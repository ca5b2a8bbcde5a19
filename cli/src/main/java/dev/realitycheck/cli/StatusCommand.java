package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.ProcessTrees;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.ServiceProcess;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.localstack.StackState;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.GetModelResponse;
import dev.realitycheck.transport.KafkaProbe;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck status}: each part of the stack that {@code up} started, with its pid, port
 * and health (the broker asked for its nodes, each service's {@code /q/health/ready}), and the
 * checkpoint the embedding service serves (GetModel over gRPC). Exit code 0 when every part is
 * healthy, 1 when one is not, 3 when no stack runs.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show each part of the local stack (bin/realitycheck up): pid, port, health and the served checkpoint.")
public class StatusCommand implements Callable<Integer> {

    /** Exit code when no stack runs (as LSB init scripts' status). */
    static final int NOT_RUNNING = 3;

    /** How long the one Kafka probe of {@code status} waits. */
    static final long STATUS_PROBE_MILLIS = 15_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "the stack's run directory (default: $REALITYCHECK_RUN_DIR, else .run in the checkout)")
    Path runDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunDirectory dir;
        try {
            dir = UpCommand.runDirectory(runDir);
        } catch (InputException e) {
            err.println("realitycheck status: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        Optional<StackState> running = running(dir, err);
        if (running.isEmpty()) {
            out.println("the local stack is not running (bin/realitycheck up starts it)");
            out.flush();
            return NOT_RUNNING;
        }
        StackState state = running.get();
        out.printf(Locale.ROOT, "local stack up since %s (supervisor pid %d, run dir %s)%n", state.startedAt(),
                state.supervisorPid(), state.runDirectory());
        out.printf(Locale.ROOT, "%-20s %8s  %-16s %s%n", "PART", "PID", "ADDRESS", "HEALTH");
        boolean healthy;
        StackKafkaReader.use(state.runDirectory()); // the stack's broker requires SASL: log in as its reader
        // one probe from this cold JVM: its connection and SASL login count against the bound, which a
        // loaded machine stretches well past a service's 2 s readiness probe
        try (KafkaProbe probe = new KafkaProbe(state.bootstrapServers(), STATUS_PROBE_MILLIS)) {
            boolean reachable = probe.reachable();
            healthy = reachable;
            out.printf(Locale.ROOT, "%-20s %8s  %-16s %s%n", LocalStack.KAFKA,
                    state.kafkaPid() > 0 ? Long.toString(state.kafkaPid()) : "-", state.bootstrapServers(),
                    reachable ? "UP" : "DOWN (" + probe.describe(false) + ")");
        }
        for (StackService s : List.of(StackService.TRAINER, StackService.EMBEDDING, StackService.EVALUATION)) {
            StackState.Endpoint e = state.service(s);
            ServiceProcess.HealthAnswer ready = ServiceProcess.health(e.port(), "/q/health/ready");
            String health;
            if (ready.status() == 200) {
                health = "UP";
            } else {
                health = ready.status() == 0 ? "DOWN (no answer)" : "DOWN (HTTP " + ready.status() + ")";
                healthy = false;
            }
            if (s == StackService.EMBEDDING) {
                health += ", serving " + servedCheckpoint(e.address());
            }
            out.printf(Locale.ROOT, "%-20s %8d  %-16s %s%n", s.module(), e.pid(), e.address(), health);
        }
        out.printf(Locale.ROOT, "%-20s %s%n", "experiments page", StackAddresses.of(state).experimentsPage());
        out.flush();
        return healthy ? 0 : 1;
    }

    /** The checkpoint GetModel names, "no checkpoint yet", or why it could not be asked. */
    static String servedCheckpoint(String address) {
        ManagedChannel channel = EmbeddingClient.channel(address);
        try {
            GetModelResponse model = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getModel(GetModelRequest.getDefaultInstance());
            return model.getCheckpointId() + " (policy " + model.getPolicy().name().replace("SERVING_POLICY_", "")
                    .toLowerCase(Locale.ROOT) + ")";
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION ? "no checkpoint yet"
                    : "unknown (" + EmbeddingClient.describe(e, address) + ")";
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * The stack of the run directory's state file while its supervisor runs. A file left by a
     * supervisor that is gone (killed, machine restarted) is stale: whatever of its processes still
     * runs (and carries the run directory's marker) is stopped, and the file is deleted.
     */
    static Optional<StackState> running(RunDirectory dir, PrintWriter err) {
        Optional<StackState> state;
        try {
            state = StackState.read(dir.stateFile());
        } catch (RuntimeException e) {
            err.println("realitycheck: " + e.getMessage());
            return Optional.empty();
        }
        if (state.isEmpty() || state.get().supervisorAlive()) {
            return state;
        }
        List<ProcessHandle> left = new ArrayList<>();
        for (long pid : state.get().partPids()) {
            ProcessHandle.of(pid).filter(p -> ours(p, dir)).ifPresent(left::add);
        }
        left.forEach(p -> ProcessTrees.stop(p, Duration.ofSeconds(10)));
        forget(dir);
        return Optional.empty();
    }

    /** True when the process is alive and its command line carries the run directory's marker. */
    static boolean ours(ProcessHandle p, RunDirectory dir) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains(dir.marker());
        } catch (IOException e) {
            return p.info().arguments().map(args -> List.of(args).contains(dir.marker())).orElse(false);
        }
    }

    /** Deletes the state file and the supervisor's pid file. */
    static void forget(RunDirectory dir) {
        try {
            Files.deleteIfExists(dir.stateFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir.stateFile() + ": " + e.getMessage(), e);
        }
        dir.deletePid(UpCommand.SUPERVISOR);
    }
}
