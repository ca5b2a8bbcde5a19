package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.scoring.CheckpointScorer;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.model.ZipBombs;
import dev.realitycheck.proto.v1.CheckpointChunk;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.EvaluationTimings;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation loop against a real broker, real SavedModels and a real (tiny) IDX dataset:
 * results equal the engine's, bad checkpoints (a zip bomb among them) become dead letters and error results, and a loop
 * whose evaluation crashes with an {@code Error} commits nothing, so the next one does the work.
 */
@ExtendWith(KafkaBrokerExtension.class)
class EvaluationLoopTest {

    @TempDir
    static Path tmp;

    static PipelineFixture fixture;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        try (Admin admin = TopicAdmin.admin(broker.bootstrapServers())) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 2, (short) 1);
        }
        fixture = new PipelineFixture(broker.bootstrapServers(), tmp);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    private static List<EvaluationResult> awaitResults(PipelineFixture.TopicReader<EvaluationResult> reader,
                                                       String checkpointId) {
        return await().atMost(Duration.ofSeconds(90)).until(
                () -> reader.poll().stream().filter(r -> r.getCheckpointId().equals(checkpointId)).toList(),
                list -> list.stream().map(EvaluationResult::getSplit).distinct().count() == 2);
    }

    @Test
    void aPublishedCheckpointGetsValidationAndTestResultsEqualToTheEngine() throws Exception {
        Path packed = fixture.model(tmp, "m1", 11);
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-equal", fixture.scorer())) {
            loop.start();
            fixture.publish(fixture.manifest("ck-1", "run-1", 1), packed);

            List<EvaluationResult> results = awaitResults(reader, "ck-1");

            ClassSplit split = ClassSplit.of(fixture.images.labels(), 2);
            try (UnpackedModel model = SavedModelArchive.unpack(packed)) {
                RetrievalReport validation = fixture.expected(model.directory(), split.validationClasses(1));
                RetrievalReport test = fixture.expected(model.directory(), split.testClasses());
                Map<String, EvaluationResult> byId = PipelineFixture.byId(results);
                EvaluationResult v = byId.get("ck-1/validation");
                EvaluationResult t = byId.get("ck-1/test");
                assertThat(v.getRunId()).isEqualTo("run-1");
                assertThat(v.getMetrics().getMeanAveragePrecisionAtR()).isEqualTo(validation.get("mean_average_precision_at_r"));
                assertThat(v.getMetrics().getQueryCount()).isEqualTo(validation.queries());
                assertThat(t.getMetrics().getMeanAveragePrecisionAtR()).isEqualTo(test.get("mean_average_precision_at_r"));
                assertThat(t.getMetrics().getPrecisionAt1()).isEqualTo(test.get("precision_at_1"));
                assertThat(t.getMetrics().getRecallAtKMap()).containsEntry(1, test.get("recall_at_1"));
                assertThat(t.getTimings().getTotal().getSeconds() * 1e9 + t.getTimings().getTotal().getNanos()).isPositive();
                // every stage is in both records: download and unpack are the checkpoint's, the rest the split's
                for (EvaluationResult r : List.of(v, t)) {
                    EvaluationTimings timings = r.getTimings();
                    assertThat(List.of(timings.getUnpack(), timings.getEmbedding(), timings.getKnn(),
                            timings.getCheckpointToPublish())).allMatch(d -> d.getSeconds() > 0 || d.getNanos() > 0);
                    assertThat(timings.hasDownload()).isTrue(); // manifest to last chunk: 0 ms when one poll brings all
                    assertThat(timings.hasMetrics()).isTrue();
                    assertThat(timings.hasPublish()).isTrue();
                    assertThat(nanos(timings.getCheckpointToPublish())).isGreaterThanOrEqualTo(
                            nanos(timings.getUnpack()) + nanos(timings.getEmbedding()) + nanos(timings.getKnn()));
                }
                assertThat(v.getTimings().getUnpack()).isEqualTo(t.getTimings().getUnpack());
                assertThat(nanos(t.getTimings().getCheckpointToPublish()))
                        .as("the test split is scored and published first")
                        .isLessThan(nanos(v.getTimings().getCheckpointToPublish()));
            }
            // the reference rows of the checkpoint's fold follow its results
            List<EvaluationResult> baselines = await().atMost(Duration.ofSeconds(90)).until(
                    () -> reader.poll().stream().filter(EvaluationResult::getBaseline).toList(),
                    // the broker is shared: other classes' baselines may be on the topic first
                    l -> l.size() >= 4 && l.stream().map(EvaluationResult::getLossName).distinct().count() >= 2);
            assertThat(baselines).extracting(EvaluationResult::getLossName).contains("raw-pixels", "untrained-mlp");
            assertThat(baselines).extracting(EvaluationResult::getSplit).contains(Split.SPLIT_VALIDATION, Split.SPLIT_TEST);
        }
    }

    @Test
    void aCorruptCheckpointBecomesADeadLetterAndErrorResultsWhileTheLoopGoesOn() throws Exception {
        Path packed = fixture.model(tmp, "m2", 12);
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             PipelineFixture.TopicReader<DeadLetter> letters = PipelineFixture.deadLetters(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-corrupt", fixture.scorer())) {
            loop.start();
            // a manifest whose digest does not match the bytes that follow
            byte[] bytes = Files.readAllBytes(packed);
            CheckpointManifest bad = fixture.manifest("ck-bad", "run-2", 0).toBuilder().setSizeBytes(bytes.length)
                    .setSha256("0".repeat(64)).setChunkCount(1).setChunkSizeBytes(bytes.length).build();
            fixture.producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "ck-bad",
                    CheckpointRecord.newBuilder().setManifest(bad).build().toByteArray()));
            fixture.producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "ck-bad", CheckpointRecord.newBuilder()
                    .setChunk(CheckpointChunk.newBuilder().setCheckpointId("ck-bad").setIndex(0)
                            .setData(ByteString.copyFrom(bytes))).build().toByteArray()));
            fixture.producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, "garbage", new byte[] {1, 2, 3, 4, 5}));
            fixture.publish(fixture.manifest("ck-2", "run-2", 0), packed);

            List<EvaluationResult> good = awaitResults(reader, "ck-2");
            List<EvaluationResult> errors = awaitResults(reader, "ck-bad");
            List<DeadLetter> dead = await().atMost(Duration.ofSeconds(30)).until(letters::poll, l -> l.size() >= 2);

            assertThat(good).allSatisfy(r -> assertThat(r.getError()).isEmpty());
            assertThat(errors).allSatisfy(r -> assertThat(r.getError()).contains("ck-bad"));
            assertThat(dead).extracting(DeadLetter::getReason).contains(DeadLetterReason.DEAD_LETTER_REASON_CORRUPT,
                    DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE);
            assertThat(loop.isAlive()).isTrue();
        }
    }

    @Test
    void aZipBombCheckpointIsDeadLetteredWithTheLimitAndLeavesNothingUnpackedWhileTheNextOneIsScored() throws Exception {
        // 512 MiB of zeros in about 0.5 MB: a valid checkpoint (digest and size match), hostile only once unpacked
        Path bomb = ZipBombs.zeros(512L << 20, tmp.resolve("bomb.zip"));
        Path packed = fixture.model(tmp, "m4", 14);
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             PipelineFixture.TopicReader<DeadLetter> letters = PipelineFixture.deadLetters(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-bomb", fixture.scorer())) {
            loop.start();
            fixture.publish(fixture.manifest("ck-bomb", "run-4", 0), bomb);
            fixture.publish(fixture.manifest("ck-4", "run-4", 0), packed);

            List<EvaluationResult> errors = awaitResults(reader, "ck-bomb");
            List<EvaluationResult> good = awaitResults(reader, "ck-4");
            DeadLetter letter = await().atMost(Duration.ofSeconds(30)).until(
                    () -> letters.poll().stream().filter(l -> l.getMessage().contains("ck-bomb")).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();

            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED);
            assertThat(letter.getMessage()).contains("expands more than 100 times");
            assertThat(errors).allSatisfy(r -> assertThat(r.getError()).contains("expands more than 100 times"));
            assertThat(good).allSatisfy(r -> assertThat(r.getError()).isEmpty());
            try (var left = Files.list(fixture.workDir)) {
                assertThat(left).noneMatch(p -> p.getFileName().toString().startsWith("realitycheck-model-"));
            }
        }
    }

    @Test
    void aLoopThatCrashesMidEvaluationLeavesTheCheckpointToTheNextOneWithTheSameResultIds() throws Exception {
        Path packed = fixture.model(tmp, "m3", 13);
        CheckpointScorer crashing = (m, p) -> {
            throw new Error("simulated crash while evaluating " + m.getCheckpointId());
        };
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap)) {
            EvaluationLoop first = fixture.loop("group-restart", crashing);
            first.start();
            fixture.publish(fixture.manifest("ck-3", "run-3", 0), packed);
            // the Error is a failure like any other (ConsumerLoop's one policy): counted, and the consumer
            // dropped without publishing or committing anything; the loop retries until it is closed
            await().atMost(Duration.ofSeconds(60)).until(() -> first.failures() >= 1);
            first.close();
            assertThat(first.isAlive()).isFalse();
            assertThat(reader.poll()).noneMatch(r -> r.getCheckpointId().equals("ck-3"));

            try (EvaluationLoop second = fixture.loop("group-restart", fixture.scorer())) {
                second.start();
                List<EvaluationResult> results = awaitResults(reader, "ck-3");

                assertThat(results).extracting(EvaluationResult::getEvaluationId)
                        .containsExactlyInAnyOrder("ck-3/validation", "ck-3/test");
                assertThat(results).allSatisfy(r -> assertThat(r.getError()).isEmpty());
            }
        }
    }

    @Test
    void theLoopIsWorkingWhileACheckpointIsScoredAndIdleOnceItIsPublished() throws Exception {
        Path packed = fixture.model(tmp, "m-working", 14);
        java.util.concurrent.CountDownLatch scoring = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CheckpointScorer real = fixture.scorer();
        CheckpointScorer held = (m, p) -> {
            if (m.getCheckpointId().equals("ck-working")) {
                scoring.countDown();
                assertThat(release.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
            return real.score(m, p);
        };
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             EvaluationLoop loop = fixture.loop("group-working", held)) {
            loop.start();
            // the other tests' checkpoints on the topic are handled first; then nothing waits
            await().atMost(Duration.ofSeconds(90)).until(() -> loop.isConsuming() && !loop.isWorking());
            fixture.publish(fixture.manifest("ck-working", "run-working", 1), packed);

            assertThat(scoring.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("ck-working is being scored").isTrue();
            assertThat(loop.isWorking()).as("working while ck-working is scored").isTrue();
            release.countDown();
            assertThat(awaitResults(reader, "ck-working")).allSatisfy(r -> assertThat(r.getError()).isEmpty());
            await().atMost(Duration.ofSeconds(30)).until(() -> !loop.isWorking());
        } finally {
            release.countDown();
        }
    }

    private static long nanos(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1_000_000_000L + d.getNanos();
    }
}
