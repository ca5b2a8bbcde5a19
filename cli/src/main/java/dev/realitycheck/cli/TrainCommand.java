package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.ListRunsResponse;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.formats.ExperimentSpecFiles;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck train --spec FILE}: starts an experiment (an {@code ExperimentSpec} as YAML,
 * {@code .yaml}/{@code .yml}, or protobuf JSON, {@code .json}; see {@code specs/}) on the trainer
 * service and follows every run of the experiment, including runs added later (search trials,
 * reproductions), by polling ListRuns: a progress line per run at each state change and new
 * validation best, and at most every few seconds while it trains ({@link ExperimentFollower}).
 * Exit code 0 when every run succeeded, 1 otherwise or on a server error, 2 for a bad spec (local
 * or refused by the server).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start an experiment on the trainer service and show each run's progress until it ends.")
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "the ExperimentSpec: YAML (.yaml, .yml) or protobuf JSON (.json)")
    Path specFile;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the trainer service (plaintext gRPC; default: the local stack's, else localhost:8081)")
    String server;

    @Option(names = "--request-id", paramLabel = "ID", description = "makes a retried start name the same experiment")
    String requestId;

    @Option(names = "--no-watch", description = "start the experiment and return without following its runs")
    boolean noWatch;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "2",
            description = "how often the runs are listed while following (default: ${DEFAULT-VALUE})")
    double pollSeconds;

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "30",
            description = "once every run is final, how long to wait for runs a search may still add (default: ${DEFAULT-VALUE})")
    double settleSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ExperimentSpec experiment = read(specFile);
            ManagedChannel channel = EmbeddingClient.channel(server());
            try {
                TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(channel);
                StartExperimentRequest.Builder request = StartExperimentRequest.newBuilder().setSpec(experiment);
                if (requestId != null) {
                    request.setRequestId(requestId);
                }
                StartExperimentResponse started = stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                        .startExperiment(request.build());
                out.printf(Locale.ROOT, "experiment %s: %d runs%n", started.getExperimentId(), started.getRunsCount());
                for (RunSpec run : started.getRunsList()) {
                    out.printf(Locale.ROOT, "  %s%n", run.getRunId());
                }
                out.flush();
                if (noWatch) {
                    return 0;
                }
                List<Run> runs = follow(stub, started.getExperimentId(),
                        ExperimentFollower.expectedRuns(experiment, started.getRunsList()), out);
                long failed = runs.stream().filter(r -> r.getState() != RunState.RUN_STATE_SUCCEEDED).count();
                out.printf(Locale.ROOT, "experiment %s: %d runs, %d succeeded, %d did not%n", started.getExperimentId(),
                        runs.size(), runs.size() - failed, failed);
                out.flush();
                return failed == 0 ? 0 : 1;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck train: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck train: " + EmbeddingClient.describe(e, server()));
            return e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT ? InputException.EXIT_CODE : 1;
        }
    }

    /** Lists the experiment's runs until the follower says it is done; returns the last listing. */
    private List<Run> follow(TrainerServiceGrpc.TrainerServiceBlockingStub stub, String experimentId, int expected,
                             PrintWriter out) {
        ExperimentFollower follower = new ExperimentFollower(expected, TimeUnit.SECONDS.toNanos(5),
                (long) (settleSeconds * 1e9), out);
        while (true) {
            List<Run> runs = new ArrayList<>();
            String token = "";
            do {
                ListRunsResponse page = stub.withDeadlineAfter(30, TimeUnit.SECONDS).listRuns(ListRunsRequest.newBuilder()
                        .setExperimentId(experimentId).setPageSize(1000).setPageToken(token).build());
                runs.addAll(page.getRunsList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            if (follower.update(runs, System.nanoTime())) {
                return runs;
            }
            try {
                Thread.sleep((long) (pollSeconds * 1000)); // the polling period, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return runs;
            }
        }
    }

    static ExperimentSpec read(Path file) {
        try {
            return ExperimentSpecFiles.read(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        } catch (IOException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    /** {@code --server}, else the local stack's trainer service ({@link StackAddresses}). */
    private String server() {
        if (server == null) {
            server = StackAddresses.current().trainer();
        }
        return server;
    }
}
