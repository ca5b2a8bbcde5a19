package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras ResNet50 weight files in both layouts Keras writes, written in the test with jHDF (random
 * values, the real names and shapes), load into {@code resnet50-keras}. Loading only: no forward
 * pass of ResNet-50 here.
 */
class KerasH5FileTest {

    private static final ResNetArchitecture KERAS50 = ResNetArchitecture.of(ResNetVariant.RESNET50_KERAS, 32, 32, 16);
    private static final List<String> BN_NAMES = List.of("gamma", "beta", "moving_mean", "moving_variance");

    @TempDir
    Path dir;

    /** Per Keras layer, its weights in order, with a value per tensor that tells them apart. */
    private static Map<String, List<float[]>> layers(ResNetArchitecture keras) {
        Map<String, VariableSpec> specs = new LinkedHashMap<>();
        keras.variables().forEach(v -> specs.put(v.name(), v));
        Map<String, List<float[]>> layers = new LinkedHashMap<>();
        int[] tensor = {0};
        keras.weightSources().forEach((variable, source) -> {
            String layer = source.tensor().substring(0, source.tensor().indexOf('/'));
            float[] v = new float[specs.get(variable).size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = tensor[0] + i * 1e-6f;
            }
            tensor[0]++;
            layers.computeIfAbsent(layer, l -> new java.util.ArrayList<>()).add(v);
        });
        return layers;
    }

    private static Object shaped(float[] flat, List<Integer> shape) {
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        Object array = Array.newInstance(float.class, dims);
        fill(array, flat, new int[] {0});
        return array;
    }

    private static void fill(Object array, float[] flat, int[] at) {
        if (array instanceof float[] row) {
            System.arraycopy(flat, at[0], row, 0, row.length);
            at[0] += row.length;
        } else {
            for (int i = 0; i < Array.getLength(array); i++) {
                fill(Array.get(array, i), flat, at);
            }
        }
    }

    private static List<Integer> shape(String layer, int index) {
        Map<String, VariableSpec> specs = new LinkedHashMap<>();
        KERAS50.variables().forEach(v -> specs.put(v.name(), v));
        return KERAS50.weightSources().entrySet().stream()
                .filter(e -> e.getValue().tensor().equals(layer + "/vars/" + index))
                .map(e -> specs.get(e.getKey()).shape()).findFirst().orElseThrow();
    }

    private static String keras2Name(String layer, int index, int count) {
        return count == 4 ? BN_NAMES.get(index) : index == 0 ? "kernel" : "bias";
    }

    @Test
    void keras3WeightsFileLoads() throws IOException {
        Map<String, List<float[]>> layers = layers(KERAS50);
        Path file = dir.resolve("resnet50.weights.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            WritableGroup all = h5.putGroup("layers");
            all.putGroup("conv1_pad").putGroup("vars");
            for (Map.Entry<String, List<float[]>> e : layers.entrySet()) {
                WritableGroup vars = all.putGroup(e.getKey()).putGroup("vars");
                for (int i = 0; i < e.getValue().size(); i++) {
                    vars.putDataset(Integer.toString(i), shaped(e.getValue().get(i), shape(e.getKey(), i)));
                }
            }
            WritableGroup top = all.putGroup("predictions").putGroup("vars");
            top.putDataset("0", new float[2048][3]);
            top.putDataset("1", new float[3]);
        }

        Weights weights = PretrainedWeights.load(KERAS50, file, 1);

        assertThat(weights.get("conv1_conv_kernel")).isEqualTo(layers.get("conv1_conv").get(0));
        assertThat(weights.get("conv4_block6_3_bn_moving_variance"))
                .isEqualTo(layers.get("conv4_block6_3_bn").get(3));
        assertThat(weights.get("conv2_block1_0_conv_bias")).isEqualTo(layers.get("conv2_block1_0_conv").get(1));
    }

    @Test
    void keras2WeightsFileLoadsAndAMissingLayerIsListed() throws IOException {
        Map<String, List<float[]>> layers = layers(KERAS50);
        Path file = dir.resolve("resnet50.h5");
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            h5.putGroup("input_1");
            for (Map.Entry<String, List<float[]>> e : layers.entrySet()) {
                WritableGroup inner = h5.putGroup(e.getKey()).putGroup(e.getKey());
                int n = e.getValue().size();
                // Keras 2 names its weights; the reader puts them in Keras' order whatever the file's
                for (int i = n - 1; i >= 0; i--) {
                    inner.putDataset(keras2Name(e.getKey(), i, n) + ":0",
                            shaped(e.getValue().get(i), shape(e.getKey(), i)));
                }
            }
        }

        Weights weights = PretrainedWeights.load(KERAS50, file, 1);

        assertThat(weights.get("conv5_block3_2_conv_kernel")).isEqualTo(layers.get("conv5_block3_2_conv").get(0));
        assertThat(weights.get("conv1_bn_beta")).isEqualTo(layers.get("conv1_bn").get(1));

        Path partial = dir.resolve("partial.h5");
        try (WritableHdfFile h5 = HdfFile.write(partial)) {
            WritableGroup inner = h5.putGroup("conv1_conv").putGroup("conv1_conv");
            inner.putDataset("kernel:0", new float[7][7][3][64]);
            inner.putDataset("bias:0", new float[65]);
        }
        assertThatThrownBy(() -> PretrainedWeights.load(KERAS50, partial, 1))
                .isInstanceOfSatisfying(WeightFileMismatchException.class, e -> {
                    assertThat(e.missing()).hasSize(KERAS50.weightSources().size() - 2)
                            .contains("conv5_block3_3_bn/vars/3 [2048]");
                    assertThat(e.mismatched()).containsExactly(new WeightFileMismatchException.Mismatch(
                            "conv1_conv/vars/1", List.of(64), List.of(65)));
                });
    }
}
