package dev.realitycheck.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.TrainingSettings;
import org.junit.jupiter.api.Test;

/** The manifest records the run's resolved {@code initialization}, data fingerprint and starting weights' digest. */
class ManifestsTest {

    @Test
    void manifestRecordsTheInitializationDefaultGlorot() {
        LossConfig loss = LossConfig.newBuilder().setName("contrastive").build();
        RunSpec plain = RunSpec.newBuilder().setRunId("r").setLoss(loss).build();
        RunSpec pytorch = plain.toBuilder().setSettings(TrainingSettings.newBuilder().setInitialization("PyTorch"))
                .build();
        var spec = EmbeddingNetworks.mlp(4, 2, 3).spec();

        assertThat(Manifests.of(plain, loss, 1, spec, "", "").getInitialization()).isEqualTo("glorot");
        assertThat(Manifests.of(pytorch, loss, 1, spec, "", "").getInitialization()).isEqualTo("pytorch");
    }

    @Test
    void manifestRecordsTheImageDatasetFingerprintBesideTheInitialization() {
        LossConfig loss = LossConfig.newBuilder().setName("contrastive").build();
        RunSpec run = RunSpec.newBuilder().setRunId("r").setLoss(loss).build();
        var manifest = Manifests.of(run, loss, 1, EmbeddingNetworks.mlp(4, 2, 3).spec(), "sha256:abc", "0123ab");

        assertThat(manifest.getDatasetFingerprint()).isEqualTo("sha256:abc");
        assertThat(manifest.getPretrainedWeightsSha256()).isEqualTo("0123ab");
        assertThat(manifest.getInitialization()).isEqualTo("glorot");
    }
}
