package dev.realitycheck.evaluation;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;

import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.ListEvaluationsRequest;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import dev.realitycheck.testsupport.ServiceEndpointChecks.FailingCall;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Boots the evaluation-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC; what every service answers alike
 * is checked by {@link ServiceEndpointChecks}.
 */
@QuarkusTest
class EvaluationServiceTest {

    @TestHTTPResource
    URL server;

    @AutoClose
    final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.EvaluationService", () -> server);

    @TestFactory
    Stream<DynamicTest> healthMetricsGrpcHealthAndReflectionAnswerAsForEveryService() {
        return endpoints.dynamicTests(new FailingCall("GetLeaderboard", Status.Code.INVALID_ARGUMENT, "experiment_id",
                () -> stub().getLeaderboard(GetLeaderboardRequest.getDefaultInstance())));
    }

    @Test
    void unknownIdsAreNotFoundAndMissingFieldsAreNamed() {
        EvaluationServiceGrpc.EvaluationServiceBlockingStub stub = stub();
        assertStatus(Status.Code.NOT_FOUND, "no evaluation 'e-1'",
                () -> stub.getEvaluation(GetEvaluationRequest.newBuilder().setEvaluationId("e-1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "one of evaluation_id or checkpoint_split",
                () -> stub.getEvaluation(GetEvaluationRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "experiment_id is required",
                () -> stub.getLeaderboard(GetLeaderboardRequest.getDefaultInstance()));
        assertStatus(Status.Code.NOT_FOUND, "no experiment 'nope'",
                () -> stub.getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId("nope").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "page_size",
                () -> stub.listEvaluations(ListEvaluationsRequest.newBuilder().setPageSize(5000).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "metric 'accuracy'",
                () -> stub.getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId("x").setMetric("accuracy").build()));
    }

    private EvaluationServiceGrpc.EvaluationServiceBlockingStub stub() {
        return EvaluationServiceGrpc.newBlockingStub(endpoints.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
