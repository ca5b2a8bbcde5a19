package dev.realitycheck.cli;

import dev.realitycheck.data.FashionMnist;
import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.transport.CheckpointIds;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck demo}: the whole pipeline on this machine. Starts a real Kafka broker and
 * the three packaged services ({@link LocalStack}, logs and pid files under {@code .run/}),
 * submits the quick experiment ({@link #DEFAULT_SPEC}, or {@code --spec}) to the trainer over
 * gRPC, shows each run's progress, prints every evaluation result as it lands on
 * {@code realitycheck.evaluations}, waits until every checkpoint is scored on both splits, prints
 * the leaderboard and the report ({@link ReportCommand}), then stops everything it started.
 * {@code --baseline-only} keeps the service-less raw-pixel baseline ({@link RawPixelBaseline}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole pipeline locally on Fashion-MNIST and print the leaderboard.",
                "Starts Kafka and the trainer, evaluation and embedding services, runs a short experiment",
                "(a few losses x 2 seeds), prints every evaluation as it lands, then the leaderboard.",
                "Stops everything it started; after an interrupted run, deploy/local/stop cleans up."})
public class DemoCommand implements Callable<Integer> {

    /** The experiment the demo runs, relative to the checkout; {@code --spec} replaces it. */
    static final String DEFAULT_SPEC = "specs/demo-fashion-mnist.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", paramLabel = "FILE", description = "the experiment (default: " + DEFAULT_SPEC + " in the checkout)")
    Path specFile;

    @Option(names = "--data", paramLabel = "DIR",
            description = "directory with train-/t10k- images and labels (IDX, raw or .gz) instead of the Debian package's Fashion-MNIST")
    Path data;

    @Option(names = "--baseline-only",
            description = "only evaluate the raw-pixel baseline on the held-out classes, in this process (no services)")
    boolean baselineOnly;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads of --baseline-only (default: all processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--insecure", description = "run the services without authentication (default: with the tokens"
            + " the stack makes)")
    boolean insecure;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "logs, pid files and data (default: .run in the checkout)")
    Path runDir;

    @Mixin
    StackPorts ports = new StackPorts();

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "30",
            description = "give up when the experiment is not scored within this long (default: ${DEFAULT-VALUE})")
    int timeoutMinutes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (baselineOnly) {
            try {
                RawPixelBaseline.run(data, threads, out);
                return 0;
            } catch (IOException e) {
                err.println("realitycheck demo: " + e.getMessage());
                return InputException.EXIT_CODE;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
        ExperimentSpec experiment;
        Path root;
        try {
            root = RepositoryRoot.locate();
            experiment = TrainCommand.read(specFile != null ? specFile : root.resolve(DEFAULT_SPEC));
            if (data == null && experiment.getDataset().getName().equals("fashion-mnist")
                    && FashionMnist.findDebianInstall().isEmpty()) {
                throw new InputException("Fashion-MNIST is not installed (" + FashionMnist.DEBIAN_DIRECTORY + "): apt-get install "
                        + FashionMnist.DEBIAN_PACKAGE + ", or pass --data DIR");
            }
        } catch (InputException e) {
            err.println("realitycheck demo: " + e.getMessage());
            return InputException.EXIT_CODE;
        }
        LocalStack.Builder stack = ports.applyTo(LocalStack.builder(root)
                        .runDirectory(runDir != null ? runDir : root.resolve(".run")).insecure(insecure))
                .progress(line -> {
                    out.println("pipeline: " + line);
                    out.flush();
                });
        if (data != null) {
            for (StackService s : StackService.values()) {
                stack.property(s.configPrefix() + ".datasets.\"" + experiment.getDataset().getName() + "\"",
                        data.toAbsolutePath().toString());
            }
        }
        LocalStack running = null;
        try (LocalStack started = stack.build().start();
             EvaluationFollower follower = follower(started, out)) {
            running = started;
            BearerToken.useRunDirectory(started.runDirectory().root());
            return runExperiment(started, follower, experiment, deadline, out, err);
        } catch (IllegalStateException e) {
            err.println("realitycheck demo: " + e.getMessage());
            return 1;
        } catch (StatusRuntimeException e) {
            err.println("realitycheck demo: " + EmbeddingClient.describe(e));
            return e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT ? InputException.EXIT_CODE : 1;
        } finally {
            if (running != null) {
                out.println("pipeline: stopped the broker and the services (logs in " + running.runDirectory().logs() + ")");
                out.flush();
            }
        }
    }

    private int runExperiment(LocalStack stack, EvaluationFollower follower, ExperimentSpec experiment, long deadline,
                              PrintWriter out, PrintWriter err) throws InterruptedException {
        ManagedChannel trainerChannel = EmbeddingClient.channel(stack.service(StackService.TRAINER).address());
        try {
            TrainerServiceGrpc.TrainerServiceBlockingStub trainer = TrainerServiceGrpc.newBlockingStub(trainerChannel);
            StartExperimentResponse started = trainer.withDeadlineAfter(60, TimeUnit.SECONDS).startExperiment(
                    StartExperimentRequest.newBuilder().setSpec(experiment).setRequestId(UUID.randomUUID().toString()).build());
            out.printf(Locale.ROOT, "experiment %s: %d runs (%s)%n", started.getExperimentId(), started.getRunsCount(),
                    String.join(", ", started.getRunsList().stream().map(RunSpec::getRunId).toList()));
            out.flush();
            List<String> expected = new ArrayList<>();
            boolean allSucceeded = true;
            for (RunSpec run : started.getRunsList()) {
                RunProgress last = watch(trainer, run.getRunId(), deadline, out);
                allSucceeded &= last.getState() == RunState.RUN_STATE_SUCCEEDED;
                for (String checkpoint : checkpointIds(run.getRunId(), experiment.getSettings().getCheckpointInterval(),
                        last.getIteration())) {
                    expected.add(checkpoint + "/validation");
                    expected.add(checkpoint + "/test");
                }
            }
            Set<String> missing = follower.awaitAll(expected, deadline);
            if (!missing.isEmpty()) {
                err.println("realitycheck demo: not scored within " + timeoutMinutes + " min: " + missing);
            } else if (!awaitBaselines(stack, started.getExperimentId(), deadline, out)) {
                err.println("realitycheck demo: the baselines were not scored within " + timeoutMinutes + " min");
                missing = Set.of("baselines");
            }
            out.println();
            boolean reported = report(started.getExperimentId(), stack, out);
            return allSucceeded && missing.isEmpty() && reported ? 0 : 1;
        } finally {
            trainerChannel.shutdownNow();
        }
    }

    /**
     * The finished experiment's leaderboard table (printed) and its report and plots (written
     * under the run directory, paths printed), made by {@link ReportCommand} against the running
     * evaluation service. True when the report was written.
     */
    static boolean report(String experimentId, LocalStack stack, PrintWriter out) {
        Path dir = stack.runDirectory().root().resolve("report-" + experimentId.replaceAll("[^A-Za-z0-9._-]", "_"));
        int code = new picocli.CommandLine(new ReportCommand()).setOut(out).setErr(out)
                .execute(experimentId, "--server", stack.service(StackService.EVALUATION).address(),
                        "--out", dir.toString(), "--timeout", "120");
        out.flush();
        return code == 0;
    }

    /** Follows one run to its end, a progress line at most every 2 s (and at every state change). */
    private static RunProgress watch(TrainerServiceGrpc.TrainerServiceBlockingStub trainer, String runId, long deadline,
                                     PrintWriter out) {
        long left = Math.max(1, deadline - System.nanoTime());
        Iterator<RunProgress> reports = trainer.withDeadlineAfter(left, TimeUnit.NANOSECONDS)
                .watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
        RunProgress last = null;
        RunProgress shown = null;
        long printed = 0;
        while (reports.hasNext()) {
            RunProgress p = reports.next();
            boolean changed = last == null || last.getState() != p.getState();
            last = p;
            if (changed || System.nanoTime() - printed > TimeUnit.SECONDS.toNanos(2)) {
                out.println("train       " + ProgressLine.of(p));
                out.flush();
                shown = p;
                printed = System.nanoTime();
            }
        }
        if (last == null) {
            return RunProgress.newBuilder().setRunId(runId).setState(RunState.RUN_STATE_UNSPECIFIED).build();
        }
        if (!last.equals(shown)) { // the final report, unless it was just printed
            out.println("train       " + ProgressLine.of(last));
            out.flush();
        }
        return last;
    }

    /**
     * The checkpoints a run published: every {@code interval} iterations and after its last one
     * ({@code TrainingRun}), named as {@link CheckpointIds} says.
     */
    /**
     * Waits (bounded by {@code deadlineNanos}) until the evaluation service has published the
     * baselines of the experiment's folds, which it scores after the trained checkpoints, so the
     * report has its reference rows; says once that it waits.
     *
     * @return false when the deadline passed first
     */
    private static boolean awaitBaselines(LocalStack stack, String experiment, long deadlineNanos, PrintWriter out)
            throws InterruptedException {
        String evaluation = stack.service(StackService.EVALUATION).address();
        boolean said = false;
        while (true) {
            int pending = ExperimentCompletion.baselinesPending(evaluation, experiment);
            if (pending == 0) {
                return true;
            }
            if (!said) {
                out.printf(Locale.ROOT, "waiting for %d baseline evaluations (scored after the trained checkpoints)%n", pending);
                out.flush();
                said = true;
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(ExperimentCompletion.ASK_EVERY_NANOS);
        }
    }

    static List<String> checkpointIds(String runId, long interval, long lastIteration) {
        List<String> ids = new ArrayList<>();
        if (lastIteration <= 0) {
            return ids;
        }
        if (interval > 0) {
            for (long it = interval; it < lastIteration; it += interval) {
                ids.add(CheckpointIds.of(runId, it));
            }
        }
        ids.add(CheckpointIds.of(runId, lastIteration));
        return ids;
    }

    /** Follows the results of the stack's broker as its results reader (the broker requires SASL). */
    private static EvaluationFollower follower(LocalStack stack, PrintWriter out) {
        StackKafkaReader.use(stack.runDirectory().root());
        return new EvaluationFollower(stack.bootstrapServers(), TrustedKeys.of(stack), out);
    }
}
