package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.proto.v1.Distance;
import dev.realitycheck.proto.v1.EmbeddingSet;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsRequest;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsResponse;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.retrieval.PmlFixture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code EvaluateEmbeddings} over real gRPC: the fixtures' values, undefined metrics, and named bad fields. */
@QuarkusTest
class EvaluateEmbeddingsTest {

    @TestHTTPResource
    URL server;

    @Inject
    EvaluationConfig config;

    private ManagedChannel channel;
    private EvaluationServiceGrpc.EvaluationServiceBlockingStub stub;

    @BeforeEach
    void open() {
        channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        stub = EvaluationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static EmbeddingSet set(Embeddings e, int[] labels) {
        EmbeddingSet.Builder b = EmbeddingSet.newBuilder().setDimension(e.dim());
        for (float v : e.values()) {
            b.addValues(v);
        }
        for (int l : labels) {
            b.addLabels(l);
        }
        return b.build();
    }

    @Test
    void separateSetFixtureMatchesPytorchMetricLearning() {
        PmlFixture f = PmlFixture.all().stream().filter(x -> x.name().equals("random_d64_separate_euclidean"))
                .findFirst().orElseThrow();
        EvaluateEmbeddingsRequest.Builder request = EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(set(f.queries(), f.queryLabels()))
                .setReferences(set(f.references(), f.referenceLabels()))
                .setDistance(Distance.DISTANCE_EUCLIDEAN)
                .setPerClass(true);
        for (int k : f.recallKs()) {
            request.addRecallKs(k);
        }

        EvaluateEmbeddingsResponse response = stub.evaluateEmbeddings(request.build());

        double[] map = f.bounds("mean_average_precision_at_r", false);
        double[] p1 = f.bounds("precision_at_1", false);
        assertThat(response.getMetrics().getMeanAveragePrecisionAtR()).isBetween(map[0] - 1e-6, map[1] + 1e-6);
        assertThat(response.getMetrics().getPrecisionAt1()).isBetween(p1[0] - 1e-6, p1[1] + 1e-6);
        assertThat(response.getMetrics().getLoneQueryCount()).isEqualTo(f.loneQueries());
        assertThat(response.getMetrics().getRecallAtKMap()).containsOnlyKeys(1, 2, 4, 8, 16);
        assertThat(response.getPerClassList()).isNotEmpty();
        double[] classMap = f.bounds("mean_average_precision_at_r", true);
        assertThat(response.getMetrics().getMeanAveragePrecisionAtRClassAveraged())
                .isBetween(classMap[0] - 1e-6, classMap[1] + 1e-6);
    }

    @Test
    void everyQueryLoneLeavesMetricsAbsentNotZero() {
        EvaluateEmbeddingsResponse response = stub.evaluateEmbeddings(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(EmbeddingSet.newBuilder().setDimension(1).addValues(0).addValues(1).addLabels(1).addLabels(2))
                .build());

        assertThat(response.getMetrics().hasMeanAveragePrecisionAtR()).isFalse();
        assertThat(response.getMetrics().hasPrecisionAt1()).isFalse();
        assertThat(response.getMetrics().getRecallAtKMap()).isEmpty();
        assertThat(response.getMetrics().getLoneQueryCount()).isEqualTo(2);
    }

    @Test
    void defaultDistanceIsCosine() {
        // cosine: (1,0) is nearer (10,1) than (0.5,0.5); Euclidean would say the opposite
        EvaluateEmbeddingsResponse response = stub.evaluateEmbeddings(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(EmbeddingSet.newBuilder().setDimension(2).addValues(1).addValues(0).addLabels(1))
                .setReferences(EmbeddingSet.newBuilder().setDimension(2)
                        .addValues(10).addValues(1).addValues(0.5f).addValues(0.5f).addLabels(1).addLabels(2))
                .addRecallKs(1)
                .build());

        assertThat(response.getMetrics().getPrecisionAt1()).isCloseTo(1.0, within(1e-12));
        assertThat(response.getMetrics().getDistance()).isEqualTo(Distance.DISTANCE_COSINE);
    }

    @Test
    void malformedRequestsAreInvalidArgumentNamingTheField() {
        assertInvalid(EvaluateEmbeddingsRequest.getDefaultInstance(), "queries is required");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder().setQueries(EmbeddingSet.newBuilder().setDimension(2)
                .addValues(1).addValues(2).addValues(3).addLabels(0)).build(), "queries.values has 3 floats");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder().setQueries(EmbeddingSet.newBuilder().setDimension(1)
                .addValues(1).addValues(Float.NaN).addLabels(0).addLabels(0)).build(), "queries.values[1] is NaN");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder().setQueries(EmbeddingSet.newBuilder().setDimension(1)
                .addValues(1).addLabels(0).addLabels(1)).build(), "queries.labels has 2 entries for 1 rows");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(EmbeddingSet.newBuilder().setDimension(1).addValues(1).addLabels(0))
                .setReferences(EmbeddingSet.newBuilder().setDimension(2).addValues(1).addValues(2).addLabels(0))
                .build(), "references.dimension 2 differs from queries.dimension 1");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(EmbeddingSet.newBuilder().setDimension(1).addValues(1).addLabels(0)).addRecallKs(0)
                .build(), "recall_ks[0] must be >= 1");
        assertInvalid(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(EmbeddingSet.newBuilder().setDimension(1).addValues(1).addLabels(1L << 40)).build(),
                "queries.labels[0]");
    }

    @Test
    void requestsOverTheRowOrDimensionLimitAreResourceExhaustedAndAtTheLimitAreScored() {
        int rows = config.maxEvaluateRows();
        int dim = config.maxEvaluateDimension();
        EvaluateEmbeddingsResponse atRows = stub.evaluateEmbeddings(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(rows(rows)).setDistance(Distance.DISTANCE_EUCLIDEAN).addRecallKs(1).build());
        assertThat(atRows.getMetrics().getLoneQueryCount()).isZero();
        assertThat(atRows.getMetrics().getPrecisionAt1()).isCloseTo(1.0, within(1e-12));
        assertExhausted(EvaluateEmbeddingsRequest.newBuilder().setQueries(rows(rows)).setReferences(rows(1)).build(),
                "queries.labels + references.labels is " + (rows + 1) + ", over the limit " + rows
                        + " (realitycheck.evaluation.max-evaluate-rows)");
        assertExhausted(EvaluateEmbeddingsRequest.newBuilder().setQueries(rows(rows + 1)).build(),
                "queries.labels + references.labels is " + (rows + 1));

        EvaluateEmbeddingsResponse atDim = stub.evaluateEmbeddings(EvaluateEmbeddingsRequest.newBuilder()
                .setQueries(wide(dim)).addRecallKs(1).build());
        assertThat(atDim.getMetrics().getPrecisionAt1()).isCloseTo(1.0, within(1e-12));
        assertExhausted(EvaluateEmbeddingsRequest.newBuilder().setQueries(wide(dim + 1)).build(),
                "queries.dimension is " + (dim + 1) + ", over the limit " + dim
                        + " (realitycheck.evaluation.max-evaluate-dimension)");
        assertExhausted(EvaluateEmbeddingsRequest.newBuilder().setQueries(wide(dim)).setReferences(wide(dim + 1)).build(),
                "references.dimension is " + (dim + 1));
    }

    /** {@code n} one-dimensional rows, value = label = {@code i % 100}: each row's nearest rows share its label. */
    private static EmbeddingSet rows(int n) {
        EmbeddingSet.Builder b = EmbeddingSet.newBuilder().setDimension(1);
        for (int i = 0; i < n; i++) {
            b.addValues(i % 100).addLabels(i % 100);
        }
        return b.build();
    }

    /** Two rows of {@code dim} values, the same label: each is the other's nearest neighbour. */
    private static EmbeddingSet wide(int dim) {
        EmbeddingSet.Builder b = EmbeddingSet.newBuilder().setDimension(dim);
        for (int i = 0; i < 2 * dim; i++) {
            b.addValues(1 + i % 7);
        }
        return b.addLabels(3).addLabels(3).build();
    }

    private void assertExhausted(EvaluateEmbeddingsRequest request, String message) {
        assertThatThrownBy(() -> stub.evaluateEmbeddings(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).startsWith(message).contains("over the limit");
                });
    }

    private void assertInvalid(EvaluateEmbeddingsRequest request, String message) {
        assertThatThrownBy(() -> stub.evaluateEmbeddings(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }
}
