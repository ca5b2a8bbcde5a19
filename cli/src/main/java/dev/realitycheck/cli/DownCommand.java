package dev.realitycheck.cli;

import dev.realitycheck.localstack.ProcessTrees;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck down}: stops the stack that {@code up} started. SIGTERM to the supervisor
 * makes the {@code LocalStack} it holds stop the services and then the broker gracefully; whatever
 * is still alive after {@code --grace} (the supervisor, a part, anything they started) is stopped
 * with its process tree, SIGKILL last. Then the state file is deleted. Idempotent: without a
 * running stack it says so and exits 0. Exit code 1 only when a process survived even SIGKILL.
 */
@Command(name = "down", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Stop the local stack that bin/realitycheck up started; nothing of it is left running.")
public class DownCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "the stack's run directory (default: $REALITYCHECK_RUN_DIR, else .run in the checkout)")
    Path runDir;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long the graceful stop may take before processes are killed (default: ${DEFAULT-VALUE})")
    int graceSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunDirectory dir;
        try {
            dir = UpCommand.runDirectory(runDir);
        } catch (InputException e) {
            err.println("realitycheck down: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        Optional<StackState> running = StatusCommand.running(dir, err);
        if (running.isEmpty()) {
            out.println("the local stack is not running");
            out.flush();
            return 0;
        }
        StackState state = running.get();
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(state.supervisorPid()).ifPresent(supervisor -> {
            processes.add(supervisor);
            supervisor.descendants().forEach(processes::add);
        });
        for (long pid : state.partPids()) {
            ProcessHandle.of(pid).filter(p -> StatusCommand.ours(p, dir)).filter(p -> !processes.contains(p))
                    .ifPresent(processes::add);
        }
        out.println("stopping the local stack (supervisor pid " + state.supervisorPid() + ")...");
        out.flush();
        ProcessHandle.of(state.supervisorPid()).ifPresent(supervisor -> {
            supervisor.destroy(); // SIGTERM: its LocalStack stops the services, then the broker
            try {
                supervisor.onExit().get(graceSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still alive: stopped by force below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<ProcessHandle> survivors = new ArrayList<>();
        for (ProcessHandle p : processes) {
            if (p.isAlive()) {
                survivors.addAll(ProcessTrees.stop(p, Duration.ofSeconds(10)));
            }
        }
        if (!survivors.isEmpty()) {
            err.println("realitycheck down: still alive after SIGKILL: " + survivors.stream().map(ProcessHandle::pid).toList());
            return 1;
        }
        StatusCommand.forget(dir);
        out.println("stopped " + processes.size() + " processes (pids " + processes.stream().map(ProcessHandle::pid).toList()
                + "); nothing of the local stack is left running");
        out.flush();
        return 0;
    }
}
