package dev.realitycheck.trainer;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import dev.realitycheck.trainer.experiments.ExperimentLimits;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.testsupport.ServiceEndpointChecks.FailingCall;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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

    @Inject
    ExperimentValidator validator;

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
    void experimentsOverAConfiguredBoundAreResourceExhaustedBeforeTheDatasetIsRead() {
        assertThat(validator.limits()).as("TrainerConfig.Limits defaults").isEqualTo(ExperimentLimits.DEFAULTS);
        ExperimentLimits l = validator.limits();
        TrainerServiceGrpc.TrainerServiceBlockingStub stub = stub();
        // the attacks: 100,000 reproductions, 10^9 iterations, embedding size 10^9
        Map<String, Consumer<ExperimentSpec.Builder>> over = new LinkedHashMap<>();
        over.put("reproductions is 100000, over the limit " + l.maxSeeds() + " (realitycheck.trainer.limits.max-seeds)",
                s -> s.clearSeeds().setReproductions(100_000));
        over.put("settings.iterations is 1000000000, over the limit " + l.maxIterations(),
                s -> s.getSettingsBuilder().setIterations(1_000_000_000L));
        over.put("settings.embedding_size is 1000000000, over the limit " + l.maxEmbeddingSize(),
                s -> s.getSettingsBuilder().setEmbeddingSize(1_000_000_000));
        over.put("settings.batch_size is " + (l.maxBatchSize() + 4), s -> s.getSettingsBuilder().setBatchSize(l.maxBatchSize() + 4));
        over.put("settings.extra[\"mlp_hidden\"] is " + (l.maxHiddenSize() + 1),
                s -> s.getSettingsBuilder().putExtra("mlp_hidden", l.maxHiddenSize() + 1));
        over.put("dataset.split.folds is " + (l.maxFolds() + 1), s -> s.getDatasetBuilder().getSplitBuilder().setFolds(l.maxFolds() + 1));
        over.put("losses[1].search.trials is " + (l.maxTrials() + 1), s -> s.addLosses(LossConfig.newBuilder().setName("s")
                .setLoss("contrastive").setSearch(SearchSpace.newBuilder().setTrials(l.maxTrials() + 1))));
        int losses = l.maxRuns() / (l.maxSeeds() * l.maxFolds()) + 1;
        over.put("runs (losses x folds x (seeds + search trials)) is " + losses * l.maxFolds() * l.maxSeeds()
                + ", over the limit " + l.maxRuns(), s -> {
                    s.clearSeeds().setReproductions(l.maxSeeds()).getDatasetBuilder().getSplitBuilder().clearRunFolds()
                            .setFolds(l.maxFolds());
                    for (int i = 1; i < losses; i++) {
                        s.addLosses(LossConfig.newBuilder().setName("l" + i).setLoss("contrastive"));
                    }
                });
        over.forEach((message, change) -> {
            ExperimentSpec.Builder spec = Specs.tiny("nowhere", 10, 5);
            change.accept(spec);
            assertStatus(Status.Code.RESOURCE_EXHAUSTED, message,
                    () -> stub.startExperiment(StartExperimentRequest.newBuilder().setSpec(spec).build()));
        });
        // exactly at every bound the limits pass and the next check answers: the dataset is not here
        ExperimentSpec.Builder at = Specs.tiny("nowhere", l.maxIterations(), 5).clearSeeds().setReproductions(l.maxSeeds());
        at.getSettingsBuilder().setEmbeddingSize(l.maxEmbeddingSize()).setBatchSize(l.maxBatchSize())
                .putExtra("mlp_hidden", l.maxHiddenSize());
        at.getDatasetBuilder().getSplitBuilder().setFolds(l.maxFolds());
        at.setLosses(0, LossConfig.newBuilder().setName("s").setLoss("contrastive")
                .setSearch(SearchSpace.newBuilder().setTrials(l.maxTrials())));
        assertThat((long) 1 * (l.maxSeeds() + l.maxTrials())).as("runs of the at-bound spec").isLessThanOrEqualTo(l.maxRuns());
        assertStatus(Status.Code.INVALID_ARGUMENT, "dataset 'nowhere' not found",
                () -> stub.startExperiment(StartExperimentRequest.newBuilder().setSpec(at).build()));
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
