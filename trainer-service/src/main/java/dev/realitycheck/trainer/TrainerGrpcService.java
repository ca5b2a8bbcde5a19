package dev.realitycheck.trainer;

import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.Experiment;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.ListRunsResponse;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerService;
import dev.realitycheck.proto.v1.WatchRunRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The gRPC face of the trainer-service ({@code realitycheck.v1.TrainerService}).
 *
 * <p>Not wired to anything yet: every RPC answers {@code UNIMPLEMENTED} with a description that
 * names the RPC and what it is waiting for, so a client sees an explicit, documented status
 * (never {@code UNKNOWN}) until experiment expansion and the {@code realitycheck.runs} producer
 * arrive.
 */
@GrpcService
public class TrainerGrpcService implements TrainerService {

    @Override
    public Uni<StartExperimentResponse> startExperiment(StartExperimentRequest request) {
        return Uni.createFrom().failure(notYet("StartExperiment",
                "validating an experiment and expanding it into runs on realitycheck.runs"));
    }

    @Override
    public Uni<Experiment> getExperiment(GetExperimentRequest request) {
        return Uni.createFrom().failure(notYet("GetExperiment", "the experiment store"));
    }

    @Override
    public Uni<ListRunsResponse> listRuns(ListRunsRequest request) {
        return Uni.createFrom().failure(notYet("ListRuns", "the run store"));
    }

    @Override
    public Uni<Run> cancelRun(CancelRunRequest request) {
        return Uni.createFrom().failure(notYet("CancelRun", "run cancellation in the trainer pods"));
    }

    @Override
    public Multi<RunProgress> watchRun(WatchRunRequest request) {
        return Multi.createFrom().failure(notYet("WatchRun", "progress reports from the trainer pods"));
    }

    private static RuntimeException notYet(String rpc, String waitingFor) {
        return Status.UNIMPLEMENTED
                .withDescription("TrainerService." + rpc + " is not implemented yet: it arrives with "
                        + waitingFor + " (a later issue)")
                .asRuntimeException();
    }
}
