package dev.realitycheck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ed25519 record signatures: the PEM files round-trip, a signed value verifies, and an unsigned, an
 * unknown-key, a tampered and a wrong-key record each fail with their reason; rotation is two
 * trusted keys at once; a checkpoint assembler with a verifier dead-letters an unsigned manifest and
 * its chunks (reason SIGNATURE) and assembles a signed one.
 */
class RecordSignaturesTest {

    @TempDir
    Path tmp;

    private RecordSignatures.Signer signer(String keyId, Path trusted) throws Exception {
        KeyPair pair = RecordSignatures.generateKeyPair();
        Files.createDirectories(trusted);
        RecordSignatures.writePublicKey(trusted.resolve(keyId + ".pem"), pair.getPublic());
        Path key = tmp.resolve(keyId + ".key");
        RecordSignatures.writePrivateKey(key, pair.getPrivate());
        return RecordSignatures.Signer.load(keyId, key);
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<String, byte[]> sent, long offset) {
        return new ConsumerRecord<>(sent.topic(), 0, offset, 1_000L + offset, TimestampType.LOG_APPEND_TIME, -1, -1,
                sent.key().getBytes(StandardCharsets.UTF_8), sent.value(), new RecordHeaders(sent.headers().toArray()),
                Optional.empty());
    }

    @Test
    void signedValuesVerifyAndEveryForgeryFailsWithItsReason() throws Exception {
        Path trusted = tmp.resolve("trusted");
        RecordSignatures.Signer trainer = signer("trainer-1", trusted);
        RecordSignatures.Signer stranger = signer("stranger", tmp.resolve("elsewhere"));
        RecordSignatures.Verifier verifier = RecordSignatures.Verifier.fromDirectory(trusted);
        assertThat(verifier.keyIds()).containsExactly("trainer-1");

        ProducerRecord<String, byte[]> signed = trainer.sign(new ProducerRecord<>("t", "k", new byte[] {1, 2, 3}));
        assertThat(verifier.problem(signed.value(), signed.headers())).isEmpty();
        assertThat(verifier.problem(new byte[] {1, 2, 4}, signed.headers())).get().asString().startsWith("bad signature");
        assertThat(verifier.problem(signed.value(), new RecordHeaders())).get().asString().startsWith("unsigned");
        ProducerRecord<String, byte[]> foreign = stranger.sign(new ProducerRecord<>("t", "k", new byte[] {1, 2, 3}));
        assertThat(verifier.problem(foreign.value(), foreign.headers())).get().asString().contains("'stranger'", "not trusted");
        // a stranger's signature under a trusted key id
        RecordHeaders spoofed = new RecordHeaders();
        spoofed.add(RecordSignatures.SIGNATURE_HEADER, foreign.headers().lastHeader(RecordSignatures.SIGNATURE_HEADER).value());
        spoofed.add(RecordSignatures.KEY_ID_HEADER, "trainer-1".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.problem(signed.value(), spoofed)).get().asString().startsWith("bad signature");
    }

    @Test
    void rotationTrustsTheOldAndTheNewKeyUntilTheOldIsRemoved() throws Exception {
        Path trusted = tmp.resolve("trusted");
        RecordSignatures.Signer old = signer("eval-2026-01", trusted);
        RecordSignatures.Signer fresh = signer("eval-2026-06", trusted);
        ProducerRecord<String, byte[]> a = old.sign(new ProducerRecord<>("t", "k", new byte[] {7}));
        ProducerRecord<String, byte[]> b = fresh.sign(new ProducerRecord<>("t", "k", new byte[] {7}));
        RecordSignatures.Verifier both = RecordSignatures.Verifier.fromDirectory(trusted);
        assertThat(both.problem(a.value(), a.headers())).isEmpty();
        assertThat(both.problem(b.value(), b.headers())).isEmpty();
        Files.delete(trusted.resolve("eval-2026-01.pem"));
        RecordSignatures.Verifier newOnly = RecordSignatures.Verifier.fromDirectory(trusted);
        assertThat(newOnly.problem(a.value(), a.headers())).isPresent();
        assertThat(newOnly.problem(b.value(), b.headers())).isEmpty();
    }

    @Test
    void settingsAskForKeysWhileVerifyingAndRefuseUnreadableOnes() throws Exception {
        assertThat(RecordSignatures.configuredVerifier(false, Optional.empty(), "x.signing")).isNull();
        assertThatThrownBy(() -> RecordSignatures.configuredVerifier(true, Optional.empty(), "x.signing"))
                .hasMessageContaining("x.signing.trusted-keys");
        Path notAKey = Files.writeString(tmp.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> RecordSignatures.configuredSigner(Optional.of(notAKey), "k", "x.signing"))
                .hasMessageContaining("x.signing.private-key");
        assertThatThrownBy(() -> new RecordSignatures.Verifier(Map.of("bad id!", RecordSignatures.generateKeyPair().getPublic())))
                .hasMessageContaining("key id");
    }

    @Test
    void anAssemblerWithAVerifierDeadLettersAnUnsignedManifestAndItsChunksAndAssemblesASignedOne() throws Exception {
        Path trusted = tmp.resolve("trusted");
        RecordSignatures.Signer trainer = signer("trainer", trusted);
        Path model = Files.write(tmp.resolve("model.bin"), new byte[] {9, 8, 7, 6, 5});
        Path work = Files.createDirectories(tmp.resolve("work"));
        try (CheckpointAssembler assembler = new CheckpointAssembler(work, 1 << 20, 4, Duration.ofMinutes(1), "test",
                Clock.systemUTC(), RecordSignatures.Verifier.fromDirectory(trusted))) {
            CheckpointManifest m = CheckpointManifest.newBuilder().setCheckpointId("ck").setSizeBytes(5).setChunkCount(1)
                    .setChunkSizeBytes(5).setSha256(CheckpointPublisher.sha256(model)).build();
            ProducerRecord<String, byte[]> manifest = new ProducerRecord<>("t", "ck",
                    CheckpointRecord.newBuilder().setManifest(m).build().toByteArray());
            ProducerRecord<String, byte[]> chunk = new ProducerRecord<>("t", "ck", CheckpointRecord.newBuilder()
                    .setChunk(dev.realitycheck.proto.v1.CheckpointChunk.newBuilder().setCheckpointId("ck").setIndex(0)
                            .setData(com.google.protobuf.ByteString.copyFrom(Files.readAllBytes(model)))).build().toByteArray());

            CheckpointAssembler.Outcome unsigned = assembler.accept(consumed(manifest, 0));
            assertThat(unsigned.rejected()).singleElement().satisfies(l -> {
                assertThat(l.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE);
                assertThat(l.getMessage()).contains("ck", "unsigned");
            });
            assertThat(assembler.accept(consumed(chunk, 1)).rejected()).singleElement()
                    .satisfies(l -> assertThat(l.getReason()).isEqualTo(DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE));

            assertThat(assembler.accept(consumed(trainer.sign(manifest), 2)).rejected()).isEmpty();
            CheckpointAssembler.Outcome done = assembler.accept(consumed(chunk, 3));
            assertThat(done.completed()).singleElement().satisfies(c -> {
                assertThat(c.manifest().getCheckpointId()).isEqualTo("ck");
                assertThat(c.brokerTimestamp()).as("the manifest record's broker timestamp").isEqualTo(1_002L);
                c.close();
            });
        }
    }
}
