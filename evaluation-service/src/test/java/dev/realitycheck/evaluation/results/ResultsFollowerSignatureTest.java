package dev.realitycheck.evaluation.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.TopicCatchUp;
import dev.realitycheck.transport.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forged evaluation results against a real broker: results that would move a loss to rank 1 (unsigned,
 * or signed by a key nobody trusts) never reach the store behind Get/List/Watch and the leaderboard;
 * each is dead-lettered with reason SIGNATURE, once, also when the follower reads the topic again
 * after a restart.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ResultsFollowerSignatureTest {

    @TempDir
    Path tmp;

    private static EvaluationResult result(String checkpointId, double mapAtR) {
        return EvaluationResult.newBuilder().setEvaluationId(checkpointId + "/test").setCheckpointId(checkpointId)
                .setRunId("run-" + checkpointId).setExperimentId("exp").setLossName("loss-" + checkpointId)
                .setSplit(Split.SPLIT_TEST).setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(mapAtR)).build();
    }

    private static List<DeadLetter> deadLetters(String bootstrap) throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        TopicCatchUp.readTopic(bootstrap, "test-dead-letters", Topics.DEAD_LETTERS, Duration.ofSeconds(30),
                r -> letters.add(DeadLetter.parseFrom(r.value())));
        return letters;
    }

    @Test
    void forgedResultsNeverReachTheStoreAndAreDeadLetteredOnce(LocalKafkaBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 1, (short) 1); // one partition: the forgeries come first
        }
        Path trusted = Files.createDirectories(tmp.resolve("trusted"));
        KeyPair service = RecordSignatures.generateKeyPair();
        RecordSignatures.writePublicKey(trusted.resolve("evaluation.pem"), service.getPublic());
        RecordSignatures.Signer evaluation = new RecordSignatures.Signer("evaluation", service.getPrivate());
        RecordSignatures.Signer stranger = new RecordSignatures.Signer("evaluation-2",
                RecordSignatures.generateKeyPair().getPrivate());
        RecordSignatures.Verifier verifier = RecordSignatures.Verifier.fromDirectory(trusted);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "forger"))) {
            producer.send(ResultRecords.of(result("forged-1", 0.99), null)).get();
            producer.send(ResultRecords.of(result("forged-2", 0.98), stranger)).get();
            producer.send(ResultRecords.of(result("genuine", 0.30), evaluation)).get();
        }

        int letters = 0;
        for (int start = 0; start < 2; start++) { // the second pass is a restart: the topic is read again
            EvaluationStore store = new EvaluationStore();
            try (ResultsFollower follower = new ResultsFollower(bootstrap, store, verifier)) {
                follower.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> store.get("genuine/test").isPresent());
                assertThat(store.list(r -> true)).extracting(EvaluationResult::getEvaluationId).containsExactly("genuine/test");
            }
            List<DeadLetter> dead = deadLetters(bootstrap);
            assertThat(dead).hasSize(2).allSatisfy(l -> {
                assertThat(l.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE);
                assertThat(l.getConsumer()).isEqualTo(ResultsFollower.CONSUMER);
            });
            assertThat(dead).extracting(DeadLetter::getMessage).anySatisfy(m -> assertThat(m).contains("unsigned"))
                    .anySatisfy(m -> assertThat(m).contains("'evaluation-2'", "not trusted"));
            if (start == 1) {
                assertThat(dead).as("not written again after the restart").hasSize(letters);
            }
            letters = dead.size();
        }
    }
}
