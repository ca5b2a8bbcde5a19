package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.ListRunsResponse;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code realitycheck runs}: the trainer's runs, one line each (every page of ListRuns). */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the runs the trainer service knows, with their state and progress.")
public class RunsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the trainer service (plaintext gRPC; default: the local stack's, else localhost:8081)")
    String server;

    @Option(names = "--experiment", paramLabel = "ID", description = "only this experiment's runs")
    String experiment;

    @Option(names = "--state", paramLabel = "STATE", description = "only runs in this state: queued, running, succeeded, failed, cancelled")
    String state;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            RunState wanted = state(state);
            ManagedChannel channel = EmbeddingClient.channel(server());
            try {
                TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(channel);
                String token = "";
                int count = 0;
                do {
                    ListRunsResponse page = stub.withDeadlineAfter(30, TimeUnit.SECONDS).listRuns(ListRunsRequest.newBuilder()
                            .setExperimentId(experiment == null ? "" : experiment).setState(wanted).setPageToken(token).build());
                    for (Run run : page.getRunsList()) {
                        out.println(ProgressLine.of(run.getProgress().toBuilder().setRunId(run.getSpec().getRunId())
                                .setState(run.getState()).build())
                                + (run.getError().isEmpty() ? "" : "  (" + run.getError() + ")"));
                        count++;
                    }
                    token = page.getNextPageToken();
                } while (!token.isEmpty());
                out.printf(Locale.ROOT, "%d runs%n", count);
                out.flush();
                return 0;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck runs: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck runs: " + EmbeddingClient.describe(e, server()));
            return 1;
        }
    }

    private static RunState state(String name) {
        if (name == null) {
            return RunState.RUN_STATE_UNSPECIFIED;
        }
        try {
            return RunState.valueOf("RUN_STATE_" + name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException("--state must be one of queued, running, succeeded, failed, cancelled; got '" + name + "'");
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
