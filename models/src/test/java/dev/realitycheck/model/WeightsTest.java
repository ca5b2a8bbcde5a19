package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seeded initial weights and the checks on given ones. */
class WeightsTest {

    private static final MlpArchitecture MLP = EmbeddingNetworks.mlp(6, 3, 4);

    @Test
    void initialWeightsAreSeededGlorotKernelsAndZeroBiases() {
        Weights a = Weights.initial(MLP, 42);
        Weights b = Weights.initial(MLP, 42);
        Weights c = Weights.initial(MLP, 43);

        assertThat(a.names()).containsExactly("dense0_kernel", "dense0_bias", "embedder_kernel", "embedder_bias");
        assertThat(b.get("dense0_kernel")).containsExactly(a.get("dense0_kernel"));
        assertThat(c.get("dense0_kernel")).isNotEqualTo(a.get("dense0_kernel"));
        double limit = Math.sqrt(6.0 / (6 + 4));
        for (float v : a.get("dense0_kernel")) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) limit);
        }
        assertThat(a.get("dense0_bias")).containsOnly(0f);

        CnnArchitecture cnn = EmbeddingNetworks.cnn(8, 8, 4);
        Weights w = Weights.initial(cnn, 1);
        assertThat(w.get("bn1_gamma")).containsOnly(1f);
        assertThat(w.get("bn1_moving_variance")).containsOnly(1f);
        assertThat(w.get("bn1_moving_mean")).containsOnly(0f);
    }

    @Test
    void givenWeightsAreCheckedAndCopied() {
        Map<String, float[]> values = new HashMap<>();
        for (String name : Weights.initial(MLP, 1).names()) {
            values.put(name, Weights.initial(MLP, 1).get(name));
        }
        Weights weights = Weights.of(MLP, values);
        values.get("embedder_bias")[0] = 9f;
        assertThat(weights.get("embedder_bias")).containsOnly(0f);

        Map<String, float[]> missing = new HashMap<>(values);
        missing.remove("dense0_bias");
        assertThatThrownBy(() -> Weights.of(MLP, missing)).hasMessageContaining("no values for variable dense0_bias");
        Map<String, float[]> extra = new HashMap<>(values);
        extra.put("other", new float[1]);
        assertThatThrownBy(() -> Weights.of(MLP, extra)).hasMessageContaining("unknown variable other");
        Map<String, float[]> wrongSize = new HashMap<>(values);
        wrongSize.put("embedder_bias", new float[2]);
        assertThatThrownBy(() -> Weights.of(MLP, wrongSize)).hasMessageContaining("needs 3 values, got 2");
        Map<String, float[]> nan = new HashMap<>(values);
        nan.put("embedder_bias", new float[] {0, Float.NaN, 0});
        assertThatThrownBy(() -> Weights.of(MLP, nan)).hasMessageContaining("value 1 is NaN");
        assertThatThrownBy(() -> weights.get("nope")).hasMessageContaining("unknown variable nope");
    }
}
