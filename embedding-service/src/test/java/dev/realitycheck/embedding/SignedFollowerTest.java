package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.realitycheck.embedding.serving.LoadedModel;
import dev.realitycheck.embedding.serving.ModelFollower;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.RecordSignatures;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.TopicCatchUp;
import dev.realitycheck.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding service's model follower with signatures on, against a real broker and real
 * SavedModels: forged manifests (unsigned, or signed by a key nobody trusts) claiming to be from the
 * year 2100 are dead-lettered with reason SIGNATURE and never served; "latest" is the broker's order,
 * so a genuine checkpoint claiming 2100 loses to the one the broker appended after it; a forged
 * evaluation result is dead-lettered; and after a restart the same model is served and not one dead
 * letter is written again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SignedFollowerTest {

    @TempDir
    Path tmp;

    private static RecordSignatures.Signer signer(String keyId, Path publicKeys) throws Exception {
        KeyPair pair = RecordSignatures.generateKeyPair();
        RecordSignatures.writePublicKey(publicKeys.resolve(keyId + ".pem"), pair.getPublic());
        return new RecordSignatures.Signer(keyId, pair.getPrivate());
    }

    private static CheckpointManifest manifest(String id, long epochSecond) {
        return TestModels.manifest(id, 1).toBuilder().setCreatedAt(Timestamp.newBuilder().setSeconds(epochSecond)).build();
    }

    private static List<DeadLetter> deadLetters(String bootstrap) throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        TopicCatchUp.readTopic(bootstrap, "test-dead-letters", Topics.DEAD_LETTERS, Duration.ofSeconds(30),
                r -> letters.add(DeadLetter.parseFrom(r.value())));
        return letters;
    }

    private ModelFollower follower(String bootstrap, ModelRegistry registry, RecordSignatures.Verifier verifier, String name) {
        return new ModelFollower(new ModelFollower.Settings(bootstrap, name, tmp.resolve(name), 1L << 30,
                Duration.ofMinutes(5), 1, (short) 1, verifier), registry, new SimpleMeterRegistry());
    }

    @Test
    void forgedRecordsAreDeadLetteredOnceAndTheBrokersLatestGenuineCheckpointIsServedAlsoAfterARestart(
            LocalKafkaBroker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, 1, (short) 1); // one partition: one order to reason about
        }
        Path trusted = Files.createDirectories(tmp.resolve("trusted"));
        RecordSignatures.Signer trainer = signer("trainer", trusted);
        RecordSignatures.Signer evaluation = signer("evaluation", trusted);
        RecordSignatures.Signer stranger = signer("stranger", Files.createDirectories(tmp.resolve("untrusted")));
        RecordSignatures.Verifier verifier = RecordSignatures.Verifier.fromDirectory(trusted);
        long year2020 = 1_577_836_800L;
        long year2100 = 4_102_444_800L;
        Path model = TestModels.packed(tmp, "m", 1);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-producer"))) {
            CheckpointPublisher unsigned = new CheckpointPublisher(producer, Topics.CHECKPOINTS, 4096);
            unsigned.signedBy(trainer).publish(manifest("ck-old", year2020), model);
            unsigned.publish(manifest("ck-forged", year2100), model);
            unsigned.signedBy(stranger).publish(manifest("ck-stranger", year2100), model);
            unsigned.signedBy(trainer).publish(manifest("ck-claims-2100", year2100), model);
            unsigned.signedBy(trainer).publish(manifest("ck-new", year2020 + 1), model);
            EvaluationResult forged = TestModels.validation("ck-forged", 0.99);
            producer.send(new ProducerRecord<>(Topics.EVALUATIONS, "run-ck-forged", forged.toByteArray())).get();
            EvaluationResult genuine = TestModels.validation("ck-old", 0.5);
            producer.send(evaluation.sign(new ProducerRecord<>(Topics.EVALUATIONS, "run-ck-old", genuine.toByteArray()))).get();
        }

        int lettersAfterFirst;
        try (ModelRegistry registry = new ModelRegistry(Policy.LATEST, null, 5, 64, new SimpleMeterRegistry());
             ModelFollower first = follower(bootstrap, registry, verifier, "replica-1")) {
            first.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> registry.loaded().size() == 3
                    && registry.latestValidation("ck-old").isPresent());
            assertThat(registry.loaded()).containsExactlyInAnyOrder("ck-old", "ck-claims-2100", "ck-new");
            assertThat(registry.served()).get().extracting(LoadedModel::checkpointId)
                    .as("the broker appended ck-new last; created_at claims do not count").isEqualTo("ck-new");
            assertThat(registry.latestValidation("ck-forged")).isEmpty();
            List<DeadLetter> letters = deadLetters(bootstrap);
            assertThat(letters).allSatisfy(l -> assertThat(l.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE));
            assertThat(letters).extracting(DeadLetter::getMessage)
                    .anySatisfy(m -> assertThat(m).contains("manifest of checkpoint ck-forged", "unsigned"))
                    .anySatisfy(m -> assertThat(m).contains("manifest of checkpoint ck-stranger", "'stranger'"))
                    .anySatisfy(m -> assertThat(m).startsWith("evaluation result not accepted: unsigned"));
            lettersAfterFirst = letters.size();
        }

        try (ModelRegistry registry = new ModelRegistry(Policy.LATEST, null, 5, 64, new SimpleMeterRegistry());
             ModelFollower restarted = follower(bootstrap, registry, verifier, "replica-1b")) {
            restarted.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> registry.loaded().size() == 3
                    && registry.latestValidation("ck-old").isPresent());
            assertThat(registry.served()).get().extracting(LoadedModel::checkpointId).isEqualTo("ck-new");
            assertThat(deadLetters(bootstrap)).as("no dead letter written again on a restart").hasSize(lettersAfterFirst);
        }
    }
}
