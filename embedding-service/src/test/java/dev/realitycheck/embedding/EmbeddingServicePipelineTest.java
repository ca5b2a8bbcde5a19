package dev.realitycheck.embedding;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.AddToGalleryResponse;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.Embedding;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.FloatVector;
import dev.realitycheck.proto.v1.GalleryItem;
import dev.realitycheck.proto.v1.GalleryItems;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.GetModelResponse;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.Neighbor;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.SearchResponse;
import dev.realitycheck.proto.v1.ServingPolicy;
import dev.realitycheck.testsupport.InjectKafkaBroker;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.Topics;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The service as deployed, through a real broker: checkpoints published on Kafka become servable,
 * a better validation result swaps the {@code best} policy's model under concurrent clients, bad
 * inputs get their codes, a corrupt checkpoint is dead-lettered while the service stays up.
 * The methods run in order against one service and broker.
 */
@QuarkusTest
@TestProfile(PipelineTestProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddingServicePipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @InjectKafkaBroker
    LocalKafkaBroker broker;

    @TestHTTPResource
    URL server;

    private ManagedChannel channel;
    private Producer<String, byte[]> producer;
    private Path models;
    private Path a;
    private Path b;

    @BeforeAll
    void setUp() throws Exception {
        channel = ManagedChannelBuilder.forAddress(server.getHost(), server.getPort()).usePlaintext().build();
        producer = new KafkaProducer<>(KafkaSettings.producer(broker.bootstrapServers(), "test-publisher"));
        models = TestModels.tempDir();
        a = TestModels.packed(models, "a", 11);
        b = TestModels.packed(models, "b", 12);
    }

    @AfterAll
    void tearDown() throws Exception {
        producer.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void beforeAnyCheckpointEmbedIsFailedPreconditionWhileTheServiceIsReadyAndSaysNoModelYet() {
        io.restassured.RestAssured.given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'embedding model' }.data.model", org.hamcrest.Matchers.is("none yet"))
                .body("checks.find { it.name == 'embedding model' }.data.served", org.hamcrest.Matchers.is("none yet"));
        assertThat(io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("realitycheck_embedding_model_serving 0.0");
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet", () -> stub().embed(request(1, 1)));
        assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    @Order(2)
    void aPublishedCheckpointBecomesServableWithTheLibrarysVectors() throws Exception {
        publish(TestModels.manifest("ck-a", 100), a);
        evaluation(TestModels.validation("ck-a", 0.3));
        GetModelResponse model = await().atMost(WAIT).ignoreExceptions()
                .until(() -> stub().getModel(GetModelRequest.getDefaultInstance()),
                        m -> m.getCheckpointId().equals("ck-a") && m.hasLatestEvaluation());
        assertThat(model.getPolicy()).isEqualTo(ServingPolicy.SERVING_POLICY_BEST);
        assertThat(model.getManifest().getIteration()).isEqualTo(100);
        assertThat(model.getLatestEvaluation().getMetrics().getMeanAveragePrecisionAtR()).isEqualTo(0.3);

        EmbedRequest request = request(5, 42).toBuilder().setRequestId("r-1").build();
        EmbedResponse response = stub().embed(request);
        assertThat(response.getCheckpointId()).isEqualTo("ck-a");
        assertThat(response.getRequestId()).isEqualTo("r-1");
        assertThat(response.getEmbeddingsList()).extracting(Embedding::getItemId).containsExactly("0", "1", "2", "3", "4");
        assertThat(flat(response)).containsExactly(TestModels.expected(a, TestModels.inputs(5, 42), 5));
    }

    @Test
    @Order(3)
    void badRequestsGetTheirCodesAndNameTheItem() {
        EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = stub();
        EmbedRequest good = request(4, 1);
        assertStatus(Status.Code.INVALID_ARGUMENT, "items[2].tensor.values has 3 values, the model expects 16",
                () -> stub.embed(good.toBuilder().setItems(2, Item.newBuilder().setTensor(
                        DenseTensor.newBuilder().addValues(1).addValues(2).addValues(3))).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items[1].tensor.shape is [16], the model expects [4, 4, 1]",
                () -> stub.embed(good.toBuilder().setItems(1, Item.newBuilder().setTensor(
                        good.getItems(1).getTensor().toBuilder().clearShape().addShape(16))).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items[3].tensor.values[5] is NaN",
                () -> stub.embed(good.toBuilder().setItems(3, Item.newBuilder().setTensor(
                        good.getItems(3).getTensor().toBuilder().setValues(5, Float.NaN))).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items[0].tensor.values[0] is Infinity",
                () -> stub.embed(good.toBuilder().setItems(0, Item.newBuilder().setTensor(
                        good.getItems(0).getTensor().toBuilder().setValues(0, Float.POSITIVE_INFINITY))).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items[1].image could not be decoded as PNG or JPEG",
                () -> stub.embed(good.toBuilder().setItems(1, ItemInputsTest.image(new byte[] {'n', 'o'})).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "items is empty", () -> stub.embed(EmbedRequest.getDefaultInstance()));
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "items has 129 items, at most 128",
                () -> stub.embed(request(129, 2)));
        assertStatus(Status.Code.RESOURCE_EXHAUSTED, "the embedding queue is full", () -> stub.embed(request(100, 3)));
        assertStatus(Status.Code.NOT_FOUND, "checkpoint 'ck-unknown' is not loaded",
                () -> stub.embed(good.toBuilder().setCheckpointId("ck-unknown").build()));
        assertStatus(Status.Code.NOT_FOUND, "checkpoint 'ck-unknown' is not loaded",
                () -> stub.getModel(GetModelRequest.newBuilder().setCheckpointId("ck-unknown").build()));
        assertThat(stub.embed(good).getCheckpointId()).as("the service stays up").isEqualTo("ck-a");
    }

    @Test
    @Order(3)
    void aPngImageEmbedsAsItsRawPixels() throws Exception {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        float[] pixels = new float[16];
        for (int i = 0; i < 16; i++) {
            pixels[i] = i * 16;
            img.getRaster().setSample(i % 4, i / 4, 0, i * 16);
        }
        EmbedResponse response = stub().embed(EmbedRequest.newBuilder()
                .addItems(ItemInputsTest.image(ItemInputsTest.encode(img, "png"))).build());
        assertThat(response.getCheckpointId()).isEqualTo("ck-a");
        // the grey PNG is decoded to RGB and its luma (0.299, 0.587, 0.114 in float) fed: its pixels to the last bit or so
        float[] expected = TestModels.expected(a, pixels, 1);
        float[] served = flat(response);
        assertThat(served).hasSameSizeAs(expected);
        for (int j = 0; j < expected.length; j++) {
            assertThat(served[j]).isCloseTo(expected[j], org.assertj.core.api.Assertions.within(1e-6f));
        }
    }

    @Test
    @Order(4)
    void aBetterValidationResultSwapsTheBestModelWhileConcurrentClientsSeeNoError() throws Exception {
        float[] inputs = TestModels.inputs(3, 9);
        Map<String, float[]> expected = Map.of("ck-a", TestModels.expected(a, inputs, 3),
                "ck-b", TestModels.expected(b, inputs, 3));
        assertThat(close(expected.get("ck-a"), expected.get("ck-b"))).as("the two models differ").isFalse();
        EmbedRequest request = request(3, 9);
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                running.add(clients.submit(() -> {
                    while (!stop.get()) {
                        try {
                            EmbedResponse r = stub().embed(request);
                            seen.merge(r.getCheckpointId(), 1, Integer::sum);
                            float[] want = expected.get(r.getCheckpointId());
                            if (want == null || !close(want, flat(r))) {
                                errors.add(new AssertionError("response from " + r.getCheckpointId()
                                        + " does not match that checkpoint's vectors"));
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                }));
            }
            await().atMost(WAIT).until(() -> seen.getOrDefault("ck-a", 0) >= 20);
            publish(TestModels.manifest("ck-b", 200), b);
            await().atMost(WAIT).ignoreExceptions().until(() -> stub().embed(request(1, 1).toBuilder()
                    .setCheckpointId("ck-b").build()).getCheckpointId().equals("ck-b"));
            assertThat(stub().getModel(GetModelRequest.getDefaultInstance()).getCheckpointId())
                    .as("ck-b has no validation result yet").isEqualTo("ck-a");
            evaluation(TestModels.validation("ck-b", 0.9));
            await().atMost(WAIT).until(() -> seen.getOrDefault("ck-b", 0) >= 20);
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        }
        assertThat(errors).isEmpty();
        assertThat(seen.keySet()).containsExactlyInAnyOrder("ck-a", "ck-b");
        GetModelResponse model = stub().getModel(GetModelRequest.getDefaultInstance());
        assertThat(model.getCheckpointId()).isEqualTo("ck-b");
        assertThat(model.getLatestEvaluation().getMetrics().getMeanAveragePrecisionAtR()).isEqualTo(0.9);
    }

    @Test
    @Order(5)
    void theGalleryIsSearchedExactlyWithTheServedCheckpoint() {
        EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub = stub();
        EmbedRequest items = request(6, 77);
        GalleryItems.Builder gallery = GalleryItems.newBuilder();
        for (int i = 0; i < 6; i++) {
            gallery.addItems(GalleryItem.newBuilder().setItem(items.getItems(i).toBuilder().setId("g" + i)).setLabel(i % 2));
        }
        AddToGalleryResponse added = stub.addToGallery(AddToGalleryRequest.newBuilder().setGallery("demo")
                .setItems(gallery).build());
        assertThat(added.getCheckpointId()).isEqualTo("ck-b");
        assertThat(added.getGallerySize()).isEqualTo(6);
        assertStatus(Status.Code.INVALID_ARGUMENT, "items.items[0].item.id 'g0' is already in gallery 'demo'",
                () -> stub.addToGallery(AddToGalleryRequest.newBuilder().setGallery("demo")
                        .setItems(GalleryItems.newBuilder().addItems(gallery.getItems(0))).build()));

        SearchResponse byId = stub.search(SearchRequest.newBuilder().setGallery("demo").setGalleryItemId("g3").setK(10).build());
        assertThat(byId.getCheckpointId()).isEqualTo("ck-b");
        assertThat(byId.getGallerySize()).isEqualTo(6);
        assertThat(byId.getNeighborsList()).hasSize(5).extracting(Neighbor::getItemId).doesNotContain("g3");

        EmbedResponse embedded = stub.embed(items);
        FloatVector query = FloatVector.newBuilder().addAllValues(embedded.getEmbeddings(2).getValuesList()).build();
        SearchResponse byVector = stub.search(SearchRequest.newBuilder().setGallery("demo").setVector(query).setK(2).build());
        assertThat(byVector.getNeighbors(0).getItemId()).isEqualTo("g2");
        assertThat(byVector.getNeighbors(0).getDistance()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(byVector.getNeighbors(0).getLabel()).isEqualTo(0);
        assertThat(byVector.getNeighborsList()).hasSize(2);

        SearchResponse byItem = stub.search(SearchRequest.newBuilder().setGallery("demo").setItem(items.getItems(4))
                .setK(1).build());
        assertThat(byItem.getNeighbors(0).getItemId()).isEqualTo("g4");

        SearchResponse withA = stub.search(SearchRequest.newBuilder().setGallery("demo").setGalleryItemId("g3").setK(3)
                .setCheckpointId("ck-a").build());
        assertThat(withA.getCheckpointId()).as("re-embedded with the named checkpoint").isEqualTo("ck-a");

        assertStatus(Status.Code.INVALID_ARGUMENT, "k is 0",
                () -> stub.search(SearchRequest.newBuilder().setGallery("demo").setGalleryItemId("g1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "vector has 2 values",
                () -> stub.search(SearchRequest.newBuilder().setGallery("demo").setK(1)
                        .setVector(FloatVector.newBuilder().addValues(1).addValues(2)).build()));
        assertStatus(Status.Code.NOT_FOUND, "has no item 'nope'",
                () -> stub.search(SearchRequest.newBuilder().setGallery("demo").setGalleryItemId("nope").setK(1).build()));
        assertStatus(Status.Code.NOT_FOUND, "gallery 'empty' does not exist",
                () -> stub.search(SearchRequest.newBuilder().setGallery("empty").setGalleryItemId("g1").setK(1).build()));
    }

    @Test
    @Order(6)
    void embedStreamAnswersEachMessageInOrder() throws Exception {
        List<EmbedResponse> responses = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<EmbedRequest> requests = EmbeddingServiceGrpc.newStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .embedStream(new StreamObserver<>() {
                    @Override
                    public void onNext(EmbedResponse value) {
                        responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        for (int i = 0; i < 5; i++) {
            requests.onNext(request(2, i).toBuilder().setRequestId("s" + i).build());
        }
        requests.onCompleted();
        done.get(30, TimeUnit.SECONDS);
        assertThat(responses).extracting(EmbedResponse::getRequestId).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(responses).allSatisfy(r -> assertThat(r.getCheckpointId()).isEqualTo("ck-b"));
        assertThat(flat(responses.get(3))).containsExactly(TestModels.expected(b, TestModels.inputs(2, 3), 2));
    }

    @Test
    @Order(7)
    void aCheckpointThatIsNotAModelIsDeadLetteredAndTheServiceStaysUp() throws Exception {
        Path junk = models.resolve("junk.zip");
        byte[] bytes = new byte[5000];
        new Random(5).nextBytes(bytes);
        Files.write(junk, bytes);
        publish(TestModels.manifest("ck-junk", 300), junk);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.consumer(broker.bootstrapServers(), null, "test-dead-letters"))) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            List<DeadLetter> letters = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    letters.add(DeadLetter.parseFrom(r.value()));
                }
                return letters.stream().anyMatch(d -> d.getMessage().contains("ck-junk"));
            });
            assertThat(letters).filteredOn(d -> d.getMessage().contains("ck-junk")).first().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED);
                assertThat(d.getConsumer()).isEqualTo("embedding-service");
            });
        }
        assertThat(stub().embed(request(1, 1)).getCheckpointId()).isEqualTo("ck-b");
        assertStatus(Status.Code.NOT_FOUND, "checkpoint 'ck-junk' is not loaded",
                () -> stub().embed(request(1, 1).toBuilder().setCheckpointId("ck-junk").build()));
    }

    @Test
    @Order(8)
    void metricsShowTheServedModelBatchSizesQueueDepthAndLatencyPercentiles() {
        String metrics = io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertThat(metrics).contains("realitycheck_embedding_model_served{checkpoint=\"ck-b\"} 1.0",
                "realitycheck_embedding_model_served{checkpoint=\"ck-a\"} 0.0",
                "realitycheck_embedding_models_loaded 2.0",
                "realitycheck_embedding_model_serving 1.0",
                "realitycheck_embedding_queue_depth",
                "realitycheck_embedding_batch_size{quantile=\"0.99\"}",
                "realitycheck_embedding_batch_size_count",
                "realitycheck_embedding_request_latency_seconds{outcome=\"ok\",rpc=\"Embed\",quantile=\"0.5\"}",
                "realitycheck_embedding_request_latency_seconds{outcome=\"INVALID_ARGUMENT\",rpc=\"Embed\",quantile=\"0.99\"}",
                "realitycheck_embedding_dead_letters_total{reason=\"DEAD_LETTER_REASON_PROCESSING_FAILED\"} 1.0");
        io.restassured.RestAssured.given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'embedding model' }.data.model", org.hamcrest.Matchers.is("serving"))
                .body("checks.find { it.name == 'embedding model' }.data.served", org.hamcrest.Matchers.is("ck-b"));
    }

    private void publish(CheckpointManifest manifest, Path packed) throws Exception {
        new CheckpointPublisher(producer, Topics.CHECKPOINTS, 4096).publish(manifest, packed);
    }

    private void evaluation(EvaluationResult result) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVALUATIONS, result.getRunId(), result.toByteArray())).get(30, TimeUnit.SECONDS);
    }

    private EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub() {
        return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** {@code count} items of {@link TestModels#inputs} with shape [4, 4, 1]. */
    static EmbedRequest request(int count, long seed) {
        float[] v = TestModels.inputs(count, seed);
        EmbedRequest.Builder b = EmbedRequest.newBuilder();
        for (int i = 0; i < count; i++) {
            DenseTensor.Builder t = DenseTensor.newBuilder().addShape(4).addShape(4).addShape(1);
            for (int j = 0; j < TestModels.INPUT; j++) {
                t.addValues(v[i * TestModels.INPUT + j]);
            }
            b.addItems(Item.newBuilder().setTensor(t));
        }
        return b.build();
    }

    static float[] flat(EmbedResponse response) {
        int dim = response.getEmbeddings(0).getValuesCount();
        float[] out = new float[response.getEmbeddingsCount() * dim];
        for (int i = 0; i < response.getEmbeddingsCount(); i++) {
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = response.getEmbeddings(i).getValues(j);
            }
        }
        return out;
    }

    /**
     * Equal up to float rounding: a micro-batch of several requests is one TensorFlow call whose
     * kernels may sum in another order than a call with this request alone.
     */
    static boolean close(float[] want, float[] got) {
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(want[i] - got[i]) > 1e-5f) {
                return false;
            }
        }
        return true;
    }
}
