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

    @Test
    void glorotSchemeIsTodaysInitialisationBitForBit() {
        CnnArchitecture cnn = EmbeddingNetworks.cnn(8, 8, 4);
        for (Architecture arch : java.util.List.<Architecture>of(MLP, cnn)) {
            Weights today = Weights.initial(arch, 17);
            Weights glorot = Weights.initial(arch, 17, Initialization.GLOROT);
            for (String name : today.names()) {
                assertThat(glorot.get(name)).as(name).containsExactly(today.get(name));
            }
        }
    }

    @Test
    void pytorchSchemeDrawsKernelsAndBiasesFromPlusMinusOneOverRootFanIn() {
        MlpArchitecture wide = EmbeddingNetworks.mlp(400, 300, 200);
        Weights a = Weights.initial(wide, 5, Initialization.PYTORCH);
        Weights b = Weights.initial(wide, 5, Initialization.PYTORCH);

        assertThat(b.get("dense0_kernel")).containsExactly(a.get("dense0_kernel"));
        assertUniform(a.get("dense0_kernel"), 1 / Math.sqrt(400));
        assertUniform(a.get("dense0_bias"), 1 / Math.sqrt(400));
        assertUniform(a.get("embedder_kernel"), 1 / Math.sqrt(200));
        assertUniform(a.get("embedder_bias"), 1 / Math.sqrt(200));
        assertThat(a.get("dense0_kernel")).isNotEqualTo(Weights.initial(wide, 5).get("dense0_kernel"));

        Weights cnn = Weights.initial(EmbeddingNetworks.cnn(8, 8, 4), 5, Initialization.PYTORCH);
        float[] conv2 = cnn.get("conv2_kernel"); // [3, 3, 16, 32]: fan-in 144
        for (float v : conv2) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) (1 / 12.0));
        }
        assertThat(cnn.get("bn1_gamma")).containsOnly(1f);
        assertThat(cnn.get("bn1_beta")).containsOnly(0f);
    }

    @Test
    void lossInitializersDrawPmlsDistributions() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        VariableSpec proxies = new VariableSpec("p", java.util.List.of(64, 100), Initializer.GLOROT_UNIFORM);
        assertThat(std(Initializer.STANDARD_NORMAL.fill(proxies, random))).isCloseTo(1, org.assertj.core.data.Offset.offset(0.03));
        assertThat(std(Initializer.KAIMING_NORMAL_LAST.fill(proxies, random)))
                .isCloseTo(Math.sqrt(2 / 100.0), org.assertj.core.data.Offset.offset(0.005));
        VariableSpec centers = new VariableSpec("c", java.util.List.of(64, 400), Initializer.GLOROT_UNIFORM);
        assertUniform(Initializer.UNIFORM_LAST.fill(centers, random), 1 / 20.0);
        assertThatThrownBy(() -> Initialization.named("he")).hasMessageContaining("[glorot, pytorch]");
        assertThat(Initialization.named("")).isEqualTo(Initialization.GLOROT);
        assertThat(Initialization.named("PyTorch")).isEqualTo(Initialization.PYTORCH);
    }

    /** Within the bound, reaching close to it, with a uniform's standard deviation bound / sqrt(3). */
    private static void assertUniform(float[] values, double bound) {
        double max = 0;
        for (float v : values) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound);
            max = Math.max(max, Math.abs(v));
        }
        assertThat(max).isGreaterThan(0.9 * bound);
        assertThat(std(values)).isCloseTo(bound / Math.sqrt(3), org.assertj.core.data.Offset.offset(0.1 * bound));
    }

    private static double std(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }
}
