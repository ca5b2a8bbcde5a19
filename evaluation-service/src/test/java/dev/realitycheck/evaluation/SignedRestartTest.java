package dev.realitycheck.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation loop with signatures on, against a real broker, real SavedModels and a real (tiny)
 * IDX dataset: forged checkpoint manifests (unsigned, signed by an unknown key) are dead-lettered with
 * reason SIGNATURE and never scored, every result is signed; and a restart (a new consumer group, so
 * every checkpoint is delivered again) removes the dead process's leftovers, publishes no result id
 * and no baseline twice (counted on the topic), and scores a new checkpoint at once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SignedRestartTest {

    @TempDir
    static Path tmp;

    static PipelineFixture fixture;
    static RecordSignatures.Signer trainer;
    static RecordSignatures.Signer evaluation;
    static RecordSignatures.Signer stranger;
    static RecordSignatures.Verifier verifier;
    static Path packed;

    @BeforeAll
    static void setUp(LocalKafkaBroker broker) throws Exception {
        fixture = PipelineFixture.onBroker(broker, tmp);
        Path trusted = Files.createDirectories(tmp.resolve("trusted"));
        trainer = signer("trainer", trusted);
        evaluation = signer("evaluation", trusted);
        stranger = signer("stranger", Files.createDirectories(tmp.resolve("untrusted")));
        verifier = RecordSignatures.Verifier.fromDirectory(trusted);
        packed = fixture.model(tmp, "signed", 31);
    }

    private static RecordSignatures.Signer signer(String keyId, Path publicKeys) throws Exception {
        KeyPair pair = RecordSignatures.generateKeyPair();
        RecordSignatures.writePublicKey(publicKeys.resolve(keyId + ".pem"), pair.getPublic());
        return new RecordSignatures.Signer(keyId, pair.getPrivate());
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
    }

    private static EvaluationLoop signedLoop(String group) {
        return new EvaluationLoop(new EvaluationLoop.Settings(fixture.bootstrap, group, fixture.workDir, 1L << 30,
                Duration.ofMinutes(5), 2, (short) 1, verifier, evaluation), fixture.scorer(),
                EvaluationLoop.BaselineSource.of(new Baselines(m -> fixture.images, fixture.heldOut(), fixture.workDir)),
                fixture.registry);
    }

    private static void publish(RecordSignatures.Signer by, String checkpointId, String runId) throws Exception {
        new CheckpointPublisher(fixture.producer, Topics.CHECKPOINTS, 4096).signedBy(by)
                .publish(fixture.manifest(checkpointId, runId, 1), packed);
    }

    private static Map<String, Long> countById(List<EvaluationResult> results) {
        return results.stream().collect(Collectors.groupingBy(EvaluationResult::getEvaluationId, Collectors.counting()));
    }

    @Test
    void forgedManifestsAreDeadLetteredAndNeverScoredWhileSignedOnesAre() throws Exception {
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap);
             PipelineFixture.TopicReader<DeadLetter> letters = PipelineFixture.deadLetters(fixture.bootstrap);
             EvaluationLoop loop = signedLoop("group-forged")) {
            loop.start();
            publish(null, "ck-unsigned", "run-f");
            publish(stranger, "ck-stranger", "run-f");
            publish(trainer, "ck-genuine", "run-f");

            await().atMost(Duration.ofSeconds(90)).until(() -> reader.poll().stream()
                    .filter(r -> r.getCheckpointId().equals("ck-genuine")).count() == 2);
            List<DeadLetter> dead = await().atMost(Duration.ofSeconds(30)).until(() -> letters.poll().stream()
                    .filter(l -> l.getReason() == DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE
                            && l.getMessage().startsWith("manifest")).toList(), l -> l.size() == 2);

            assertThat(dead).extracting(DeadLetter::getMessage).anySatisfy(m -> assertThat(m).contains("ck-unsigned", "unsigned"))
                    .anySatisfy(m -> assertThat(m).contains("ck-stranger", "'stranger'", "not trusted"));
            assertThat(reader.poll()).noneMatch(r -> r.getCheckpointId().equals("ck-unsigned")
                    || r.getCheckpointId().equals("ck-stranger"));
        }
    }

    @Test
    void aRestartRemovesLeftoversAndPublishesNoResultIdNorBaselineTwice() throws Exception {
        try (PipelineFixture.TopicReader<EvaluationResult> reader = PipelineFixture.results(fixture.bootstrap)) {
            try (EvaluationLoop first = signedLoop("group-before")) {
                first.start();
                publish(trainer, "ck-r1", "run-r");
                // the checkpoint's two results and its fold's four baseline results
                await().atMost(Duration.ofSeconds(120)).until(() -> reader.poll().stream()
                        .filter(r -> r.getCheckpointId().equals("ck-r1") || r.getBaseline()).count() >= 6
                        && first.baselinesWaiting() == 0);
            }
            Map<String, Long> before = countById(reader.poll());
            // what a process killed mid-checkpoint leaves behind
            Path unpacked = Files.createDirectories(fixture.workDir.resolve("realitycheck-model-123").resolve("variables"));
            Files.writeString(unpacked.resolve("variables.index"), "x");
            Files.writeString(fixture.workDir.resolve("checkpoint-456.part"), "partial");

            long assembledBefore = fixture.registry.timer("realitycheck.evaluation.assemble").count();
            try (EvaluationLoop second = signedLoop("group-after")) { // a new group: ck-r1 is delivered again
                long start = System.nanoTime();
                second.start();
                try (var left = Files.list(fixture.workDir)) {
                    assertThat(left).map(p -> p.getFileName().toString())
                            .noneMatch(n -> n.startsWith("realitycheck-model-") || n.endsWith(".part"));
                }
                publish(trainer, "ck-r2", "run-r");
                await().atMost(Duration.ofSeconds(60)).until(() -> reader.poll().stream()
                        .filter(r -> r.getCheckpointId().equals("ck-r2")).count() == 2);
                double seconds = (System.nanoTime() - start) / 1e9;
                // both checkpoints went through the second loop: ck-r1 skipped as already scored
                await().atMost(Duration.ofSeconds(30)).until(
                        () -> fixture.registry.timer("realitycheck.evaluation.assemble").count() >= assembledBefore + 2);
                assertThat(second.baselinesWaiting()).as("no baseline queued again").isZero();
                assertThat(seconds).as("a new checkpoint is scored within seconds of a restart").isLessThan(30);
            }
            Map<String, Long> after = countById(reader.poll());
            assertThat(after).allSatisfy((id, n) -> assertThat(n).as("records of " + id).isEqualTo(1L));
            assertThat(after.keySet()).containsAll(before.keySet());
            assertThat(after.keySet().stream().filter(id -> id.startsWith("baseline:"))).hasSize(4);
        }
    }
}
