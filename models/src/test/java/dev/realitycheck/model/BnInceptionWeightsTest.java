package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BN-Inception state dict in the published (Cadene's) names and PyTorch layouts, written as
 * safetensors in the test, loads into {@link BnInceptionArchitecture} by {@link BnInceptionArchitecture#publishedName}.
 */
class BnInceptionWeightsTest {

    private static final BnInceptionArchitecture BN_INCEPTION =
            new BnInceptionArchitecture(InputSpec.image(32, 32, 3, Preprocessing.none()), 8, true);

    @TempDir
    Path dir;

    @Test
    void aSafetensorsFileInThePublishedNamesLoadsEveryTrunkVariable() throws IOException {
        List<WeightTensor> state = TorchvisionWeights.of(BN_INCEPTION, 2);
        Path file = dir.resolve("bn_inception.safetensors");
        SafetensorsFile.write(file, state);

        Weights weights = PretrainedWeights.load(BN_INCEPTION, file, 3);

        assertThat(BN_INCEPTION.weightSources()).hasSize(BN_INCEPTION.variables().size() - 2);
        WeightTensor conv = state.stream().filter(t -> t.name().equals("inception_3a_1x1.weight")).findFirst()
                .orElseThrow();
        int in = conv.shape().get(1);
        int out = conv.shape().get(0);
        assertThat(conv.shape()).containsExactly(out, in, 1, 1);
        // [1, 1, in, out]: input channel 5 of output 7 sits at 5 * out + 7
        assertThat(weights.get("inception_3a_1x1_kernel")[5 * out + 7]).isEqualTo(conv.values()[7 * in + 5]);
        WeightTensor var = state.stream().filter(t -> t.name().equals("inception_5b_pool_proj_bn.running_var"))
                .findFirst().orElseThrow();
        assertThat(weights.get("inception_5b_pool_proj_bn_moving_variance")).containsExactly(var.values());
        assertThat(weights.get("embedder_kernel")).hasSize(BnInceptionArchitecture.FEATURES * 8);
    }

    @Test
    void aMissingTensorIsListed() throws IOException {
        List<WeightTensor> state = new ArrayList<>(TorchvisionWeights.of(BN_INCEPTION, 4));
        state.removeIf(t -> t.name().equals("conv1_7x7_s2_bn.running_mean"));
        Path file = dir.resolve("partial.safetensors");
        SafetensorsFile.write(file, state);

        assertThatThrownBy(() -> PretrainedWeights.load(BN_INCEPTION, file, 1))
                .isInstanceOf(WeightFileMismatchException.class)
                .hasMessageContaining("conv1_7x7_s2_bn.running_mean [64]");
    }
}
