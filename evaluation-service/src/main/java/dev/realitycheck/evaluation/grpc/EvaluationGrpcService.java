package dev.realitycheck.evaluation.grpc;

import dev.realitycheck.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.realitycheck.evaluation.leaderboard.ExperimentList;
import dev.realitycheck.evaluation.leaderboard.Leaderboards;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.evaluation.scoring.EmbeddingsEvaluator;
import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsRequest;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsResponse;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationService;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.proto.v1.ListEvaluationsResponse;
import dev.realitycheck.proto.v1.ListExperimentsRequest;
import dev.realitycheck.proto.v1.ListExperimentsResponse;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.proto.v1.WatchEvaluationsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The gRPC face of the evaluation-service ({@code realitycheck.v1.EvaluationService}): evaluation
 * records from {@link EvaluationStore}, leaderboards chosen on validation only, and metrics for
 * client-supplied embeddings. Errors: NOT_FOUND for unknown ids, INVALID_ARGUMENT naming the field.
 */
@GrpcService
public class EvaluationGrpcService implements EvaluationService {

    @Inject
    EmbeddingsEvaluator embeddingsEvaluator;

    @Inject
    EvaluationStore store;

    @Inject
    Leaderboards leaderboards;

    @Inject
    ExperimentList experiments;

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<EvaluationResult> getEvaluation(GetEvaluationRequest request) {
        return Uni.createFrom().item(() -> {
            String id = switch (request.getKeyCase()) {
                case EVALUATION_ID -> request.getEvaluationId();
                case CHECKPOINT_SPLIT -> {
                    if (request.getCheckpointSplit().getCheckpointId().isEmpty()) {
                        throw invalid("checkpoint_split.checkpoint_id is required");
                    }
                    if (request.getCheckpointSplit().getSplit() == Split.SPLIT_UNSPECIFIED) {
                        throw invalid("checkpoint_split.split must be SPLIT_VALIDATION or SPLIT_TEST");
                    }
                    yield EvaluationIds.of(request.getCheckpointSplit().getCheckpointId(),
                            request.getCheckpointSplit().getSplit());
                }
                case KEY_NOT_SET -> throw invalid("one of evaluation_id or checkpoint_split is required");
            };
            return store.get(id).orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("no evaluation '" + id + "'").asRuntimeException());
        });
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<ListEvaluationsResponse> listEvaluations(ListEvaluationsRequest request) {
        return Uni.createFrom().item(() -> {
            int pageSize = request.getPageSize() == 0 ? 100 : request.getPageSize();
            if (pageSize < 1 || pageSize > 1000) {
                throw invalid("page_size must be in [1, 1000] (0 means 100), got " + request.getPageSize());
            }
            int start = 0;
            if (!request.getPageToken().isEmpty()) {
                try {
                    start = Integer.parseInt(request.getPageToken());
                } catch (NumberFormatException e) {
                    start = -1;
                }
                if (start < 0) {
                    throw invalid("page_token '" + request.getPageToken() + "' is not a token this service issued");
                }
            }
            List<EvaluationResult> all = store.list(EvaluationStore.filter(request.getExperimentId(), request.getRunId(),
                    request.getCheckpointId(), request.getLossName(), request.getSplit()));
            int end = Math.min(all.size(), start + pageSize);
            ListEvaluationsResponse.Builder page = ListEvaluationsResponse.newBuilder();
            if (start < all.size()) {
                page.addAllEvaluations(all.subList(start, end));
            }
            if (end < all.size()) {
                page.setNextPageToken(Integer.toString(end));
            }
            return page.build();
        });
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<Leaderboard> getLeaderboard(GetLeaderboardRequest request) {
        return Uni.createFrom().item(() -> {
            try {
                return leaderboards.of(request.getExperimentId(), request.getMetric(), request.getSplit(),
                        request.getRankByConcatenated());
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            } catch (java.util.NoSuchElementException e) {
                throw Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException();
            }
        });
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<ListExperimentsResponse> listExperiments(ListExperimentsRequest request) {
        return Uni.createFrom().item(() -> ListExperimentsResponse.newBuilder().addAllExperiments(experiments.all()).build());
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Multi<EvaluationResult> watchEvaluations(WatchEvaluationsRequest request) {
        return store.watch(EvaluationStore.filter(request.getExperimentId(), request.getRunId(), "", "",
                request.getSplit()), request.getIncludeExisting());
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.READER)
    public Uni<EvaluateEmbeddingsResponse> evaluateEmbeddings(EvaluateEmbeddingsRequest request) {
        return Uni.createFrom().item(() -> embeddingsEvaluator.evaluate(request));
    }

    private static RuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
