package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link BnInceptionArchitecture}: the published layer list (names and shapes of the reference
 * state dict, parameter count), its input sizes, and a forward pass at a small input, in-process
 * and through an exported SavedModel.
 */
class BnInceptionArchitectureTest {

    private static final BnInceptionArchitecture RGB64 =
            new BnInceptionArchitecture(InputSpec.image(64, 64, 3, Preprocessing.none()), 16);

    @TempDir
    Path dir;

    /** The published keys and PyTorch shapes, from the test resource (Cadene's state dict without last_linear). */
    private static Map<String, List<Integer>> published() throws IOException {
        Map<String, List<Integer>> keys = new LinkedHashMap<>();
        try (InputStream in = BnInceptionArchitectureTest.class.getResourceAsStream("bninception-state-dict.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                keys.put(parts[0], Arrays.stream(parts[1].split(",")).map(Integer::valueOf).toList());
            }
        }
        return keys;
    }

    @Test
    void trunkVariablesAreThePublishedStateDictInOrderWithKernelsTransposedToHwio() throws IOException {
        Map<String, List<Integer>> expected = published();
        Map<String, List<Integer>> actual = new LinkedHashMap<>();
        for (VariableSpec v : RGB64.variables()) {
            BnInceptionArchitecture.publishedName(v.name()).ifPresent(key -> {
                List<Integer> s = v.shape();
                // [kh, kw, in, out] here is [out, in, kh, kw] in PyTorch
                actual.put(key, s.size() == 4 ? List.of(s.get(3), s.get(2), s.get(0), s.get(1)) : s);
            });
        }

        assertThat(expected).hasSize(414);
        assertThat(actual).containsExactlyEntriesOf(expected);
        assertThat(RGB64.variables().stream().filter(v -> Architecture.isEmbedderVariable(v.name())))
                .extracting(VariableSpec::name, VariableSpec::shape)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("embedder_kernel", List.of(1024, 16)),
                        org.assertj.core.groups.Tuple.tuple("embedder_bias", List.of(16)));
        assertThat(BnInceptionArchitecture.publishedName("conv1_7x7_s2_bn_moving_variance"))
                .contains("conv1_7x7_s2_bn.running_var");
        assertThat(BnInceptionArchitecture.publishedName("embedder_kernel")).isEmpty();
    }

    @Test
    void trunkHasThePublishedTenPointTwoMillionParameters() {
        long parameters = 0;
        long statistics = 0;
        for (VariableSpec v : RGB64.variables()) {
            if (Architecture.isEmbedderVariable(v.name())) {
                continue;
            }
            if (v.name().endsWith("_moving_mean") || v.name().endsWith("_moving_variance")) {
                statistics += v.size();
            } else {
                parameters += v.size();
            }
        }
        // summed over the reference's 69 Conv2d (weight, bias) and 69 BatchNorm2d (weight, bias)
        assertThat(parameters).isEqualTo(10_270_240L);
        assertThat(statistics).isEqualTo(20_032L);
    }

    @Test
    void inputSidesMustKeepTheReducingModulesBranchesAligned() {
        assertThat(BnInceptionArchitecture.featureMapSize(224)).isEqualTo(7);
        assertThat(BnInceptionArchitecture.featureMapSize(64)).isEqualTo(2);
        assertThat(BnInceptionArchitecture.featureMapSize(32)).isEqualTo(1);
        assertThatThrownBy(() -> new BnInceptionArchitecture(InputSpec.image(28, 28, 1, Preprocessing.none()), 8))
                .hasMessageContaining("side of 28").hasMessageContaining("3c");
        assertThatThrownBy(() -> new BnInceptionArchitecture(InputSpec.image(64, 64, 3, Preprocessing.pixels()), 8))
                .hasMessageContaining("identity");
        assertThatThrownBy(() -> new BnInceptionArchitecture(InputSpec.image(64, 64, 2, Preprocessing.none()), 8))
                .hasMessageContaining("1 or 3");
    }

    @Test
    void forwardPassAtSixtyFourGivesFiniteNonNegative1024dFeatures() {
        // an identity embedder of width 1024 passes the pooled features through unchanged
        BnInceptionArchitecture arch = new BnInceptionArchitecture(InputSpec.image(64, 64, 3, Preprocessing.none()),
                BnInceptionArchitecture.FEATURES);
        Map<String, float[]> values = new HashMap<>();
        Weights initial = Weights.initial(arch, 5);
        initial.names().forEach(n -> values.put(n, initial.get(n)));
        float[] identity = new float[1024 * 1024];
        for (int i = 0; i < 1024; i++) {
            identity[i * 1024 + i] = 1f;
        }
        values.put("embedder_kernel", identity);
        Weights weights = Weights.of(arch, values);
        int batch = 2;
        float[] images = ModelFixtures.pixels(31, batch * 3, 64 * 64);

        float[] features = run(arch, weights, images, batch, new long[] {batch, 64, 64, 3});

        assertThat(features).hasSize(batch * 1024);
        long positive = 0;
        for (float f : features) {
            assertThat(f).isFinite().isGreaterThanOrEqualTo(0f);
            positive += f > 0 ? 1 : 0;
        }
        assertThat(positive).as("pooled ReLU features that are not zero").isGreaterThan(100);
        assertThat(Arrays.copyOfRange(features, 0, 1024)).isNotEqualTo(Arrays.copyOfRange(features, 1024, 2048));
    }

    @Test
    void greyInputIsTheRgbImageWithThreeEqualChannels() {
        BnInceptionArchitecture grey = new BnInceptionArchitecture(InputSpec.image(32, 32, 1, Preprocessing.none()), 8);
        BnInceptionArchitecture rgb = new BnInceptionArchitecture(InputSpec.image(32, 32, 3, Preprocessing.none()), 8);
        Weights greyWeights = Weights.initial(grey, 9);
        Map<String, float[]> same = new HashMap<>();
        greyWeights.names().forEach(n -> same.put(n, greyWeights.get(n)));
        float[] pixels = ModelFixtures.pixels(32, 1, 32 * 32);
        float[] tripled = new float[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            Arrays.fill(tripled, 3 * i, 3 * i + 3, pixels[i]);
        }

        float[] a = run(grey, greyWeights, pixels, 1, new long[] {1, 32, 32, 1});
        float[] b = run(rgb, Weights.of(rgb, same), tripled, 1, new long[] {1, 32, 32, 3});

        assertThat(a).containsExactly(b);
    }

    @Test
    void exportsAndServesAsACheckpointModel() throws IOException {
        EmbeddingNetworks.exportUntrained(RGB64, 3, dir.resolve("m"));
        float[] images = ModelFixtures.pixels(33, 3 * 3, 64 * 64);

        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("m"))) {
            assertThat(embedder.inputShape()).containsExactly(64, 64, 3);
            assertThat(embedder.embeddingSize()).isEqualTo(16);
            ModelFixtures.assertUnitRows(embedder.embed(images, 3), 16);
        }
    }

    /** Runs the inference trunk (before L2 normalisation) on constant weights. */
    private static float[] run(Architecture arch, Weights weights, float[] images, int batch, long[] shape) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Map<String, Operand<TFloat32>> variables = new LinkedHashMap<>();
            for (VariableSpec v : arch.variables()) {
                variables.put(v.name(), tf.constant(Shape.of(v.dims()), DataBuffers.of(weights.get(v.name()), true, false)));
            }
            Operand<TFloat32> x = tf.constant(Shape.of(shape), DataBuffers.of(images, true, false));
            Operand<TFloat32> y = arch.trunk(tf, x, variables);
            try (Session session = new Session(graph); Result r = session.runner().fetch(y).run()) {
                TFloat32 t = (TFloat32) r.get(0);
                assertThat(t.shape().asArray()).containsExactly(batch, arch.spec().embeddingSize());
                float[] out = new float[(int) t.shape().size()];
                t.asRawTensor().data().asFloats().read(out);
                return out;
            }
        }
    }
}
