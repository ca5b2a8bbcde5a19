package dev.realitycheck.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck train --spec FILE}: starts an experiment (an {@code ExperimentSpec} in
 * protobuf JSON) on the trainer service and follows its runs one after the other, a progress bar
 * line per report (at most one a second per run, plus the last). Exit code 0 when every run
 * succeeded, 1 otherwise or on a server error, 2 for a bad spec (local or refused by the server).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Start an experiment on the trainer service and show each run's progress until it ends.")
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "the ExperimentSpec as protobuf JSON")
    Path specFile;

    @Option(names = "--server", paramLabel = "HOST:PORT", defaultValue = "localhost:8081",
            description = "the trainer service (plaintext gRPC; default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--request-id", paramLabel = "ID", description = "makes a retried start name the same experiment")
    String requestId;

    @Option(names = "--no-watch", description = "start the experiment and return without following its runs")
    boolean noWatch;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ExperimentSpec experiment = read(specFile);
            ManagedChannel channel = EmbeddingClient.channel(server);
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
                boolean allSucceeded = true;
                for (RunSpec run : started.getRunsList()) {
                    allSucceeded &= watch(stub, run.getRunId(), out) == RunState.RUN_STATE_SUCCEEDED;
                }
                return allSucceeded ? 0 : 1;
            } finally {
                channel.shutdownNow();
            }
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck train: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck train: " + EmbeddingClient.describe(e));
            return e.getStatus().getCode() == io.grpc.Status.Code.INVALID_ARGUMENT ? InputException.EXIT_CODE : 1;
        }
    }

    /** Follows one run to its end; returns its final state. */
    private static RunState watch(TrainerServiceGrpc.TrainerServiceBlockingStub stub, String runId, PrintWriter out) {
        Iterator<RunProgress> reports = stub.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
        RunProgress last = null;
        long printed = 0;
        while (reports.hasNext()) {
            RunProgress p = reports.next();
            boolean changed = last == null || last.getState() != p.getState();
            last = p;
            long now = System.nanoTime();
            if (changed || now - printed > TimeUnit.SECONDS.toNanos(1)) {
                out.println(ProgressLine.of(p));
                out.flush();
                printed = now;
            }
        }
        if (last == null) {
            return RunState.RUN_STATE_UNSPECIFIED;
        }
        return last.getState();
    }

    static ExperimentSpec read(Path file) {
        try {
            ExperimentSpec.Builder b = ExperimentSpec.newBuilder();
            JsonFormat.parser().merge(Files.readString(file), b);
            return b.build();
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (InvalidProtocolBufferException e) {
            throw new InputException(file + ": not an ExperimentSpec in protobuf JSON: " + e.getMessage());
        } catch (IOException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }
}
