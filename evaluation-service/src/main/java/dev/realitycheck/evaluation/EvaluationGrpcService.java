package dev.realitycheck.evaluation;

import dev.realitycheck.proto.v1.EvaluateEmbeddingsRequest;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsResponse;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationService;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.ListEvaluationsResponse;
import dev.realitycheck.proto.v1.WatchEvaluationsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/**
 * The gRPC face of the evaluation-service ({@code realitycheck.v1.EvaluationService}).
 *
 * <p>{@code EvaluateEmbeddings} computes metrics for client-supplied vectors. The RPCs over
 * evaluation records answer {@code UNIMPLEMENTED} with a description naming what they wait for
 * (an explicit status, never {@code UNKNOWN}) until the checkpoint consumer and store arrive.
 */
@GrpcService
public class EvaluationGrpcService implements EvaluationService {

    @Inject
    EmbeddingsEvaluator embeddingsEvaluator;

    @Override
    public Uni<EvaluationResult> getEvaluation(GetEvaluationRequest request) {
        return Uni.createFrom().failure(notYet("GetEvaluation", "the evaluation store"));
    }

    @Override
    public Uni<ListEvaluationsResponse> listEvaluations(ListEvaluationsRequest request) {
        return Uni.createFrom().failure(notYet("ListEvaluations", "the evaluation store"));
    }

    @Override
    public Uni<Leaderboard> getLeaderboard(GetLeaderboardRequest request) {
        return Uni.createFrom().failure(notYet("GetLeaderboard",
                "the evaluation store and confidence intervals over seeds"));
    }

    @Override
    public Multi<EvaluationResult> watchEvaluations(WatchEvaluationsRequest request) {
        return Multi.createFrom().failure(notYet("WatchEvaluations",
                "the realitycheck.evaluations consumer"));
    }

    @Override
    @Blocking
    public Uni<EvaluateEmbeddingsResponse> evaluateEmbeddings(EvaluateEmbeddingsRequest request) {
        return Uni.createFrom().item(() -> embeddingsEvaluator.evaluate(request));
    }

    private static RuntimeException notYet(String rpc, String waitingFor) {
        return Status.UNIMPLEMENTED
                .withDescription("EvaluationService." + rpc + " is not implemented yet: it arrives with "
                        + waitingFor + " (a later issue)")
                .asRuntimeException();
    }
}
