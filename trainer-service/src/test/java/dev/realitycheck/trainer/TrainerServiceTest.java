package dev.realitycheck.trainer;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
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
 * Boots the trainer-service and talks to it the way clients will: HTTP for health and metrics,
 * a plain grpc-java channel to the same (test) port for gRPC; what every service answers alike
 * is checked by {@link ServiceEndpointChecks}. No broker: the trainer loop is off
 * ({@code %test.realitycheck.trainer.consume-runs=false}), so this covers the API's answers to
 * bad requests; {@link TrainerServicePipelineTest} trains through a real broker.
 */
@QuarkusTest
class TrainerServiceTest {

    @TestHTTPResource
    URL server;

    @AutoClose
    final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.TrainerService", () -> server);

    @TestFactory
    Stream<DynamicTest> healthMetricsGrpcHealthAndReflectionAnswerAsForEveryService() {
        return endpoints.dynamicTests(new FailingCall("GetExperiment", Status.Code.NOT_FOUND, "no experiment exp-none",
                () -> stub().getExperiment(GetExperimentRequest.newBuilder().setExperimentId("exp-none").build())));
    }

    @Test
    void badRequestsGetExplicitStatusesNamingTheProblem() {
        TrainerServiceGrpc.TrainerServiceBlockingStub stub = stub();
        assertStatus(Status.Code.INVALID_ARGUMENT, "spec is missing",
                () -> stub.startExperiment(StartExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "dataset 'nowhere' not found", () -> stub.startExperiment(
                StartExperimentRequest.newBuilder().setSpec(Specs.tiny("nowhere", 10, 5)).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "experiment_id is missing",
                () -> stub.getExperiment(GetExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "page_token 'x'",
                () -> stub.listRuns(ListRunsRequest.newBuilder().setPageToken("x").build()));
        assertStatus(Status.Code.NOT_FOUND, "no run r-1",
                () -> stub.cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "run_id is missing",
                () -> stub.cancelRun(CancelRunRequest.getDefaultInstance()));
    }

    @Test
    void noRunsAreListedBeforeAnyExperiment() {
        assertThat(stub().listRuns(ListRunsRequest.newBuilder().setExperimentId("exp-none").build()).getRunsList())
                .isEmpty();
    }

    @Test
    void watchingAnUnknownRunFailsWithNotFound() {
        assertStatus(Status.Code.NOT_FOUND, "no run r-1",
                () -> stub().watchRun(WatchRunRequest.newBuilder().setRunId("r-1").build()).hasNext());
    }

    private TrainerServiceGrpc.TrainerServiceBlockingStub stub() {
        return TrainerServiceGrpc.newBlockingStub(endpoints.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
