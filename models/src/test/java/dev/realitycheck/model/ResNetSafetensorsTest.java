package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResNet-18 state_dict in torchvision's names and layouts, written as safetensors in the test,
 * loads into {@link ResNetArchitecture} and computes what torchvision's network computes.
 */
class ResNetSafetensorsTest {

    private static final int H = 36;
    private static final int W = 32;
    private static final ResNetArchitecture RESNET18 = ResNetArchitecture.of(ResNetVariant.RESNET18, H, W, 8);

    @TempDir
    Path dir;

    private Path write(List<WeightTensor> tensors) throws IOException {
        Path file = dir.resolve("resnet18.safetensors");
        SafetensorsFile.write(file, tensors);
        return file;
    }

    @Test
    void exportedResNet18EqualsAPlainJavaReferenceOnOneImage() throws IOException {
        List<WeightTensor> state = TorchvisionWeights.of(RESNET18, 3);
        Weights weights = PretrainedWeights.load(RESNET18, write(state), 4);
        SavedModelExporter.export(weights, dir.resolve("model"));
        float[] image = ModelFixtures.pixels(5, 1, H * W * 3);

        float[] embedding;
        try (SavedModelEmbedder embedder = SavedModelEmbedder.load(dir.resolve("model"))) {
            assertThat(embedder.inputShape()).containsExactly(H, W, 3);
            embedding = embedder.embed(image, 1);
        }

        Map<String, WeightTensor> byName = state.stream()
                .collect(Collectors.toMap(WeightTensor::name, t -> t));
        double[] expected = new ResNet18Reference(byName).embed(image, H, W, weights.get("embedder_kernel"),
                weights.get("embedder_bias"));
        assertThat(embedding).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat((double) embedding[i]).as("component %d", i).isCloseTo(expected[i],
                    org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void everyTrunkVariableComesFromTheFileInTheGraphsLayout() throws IOException {
        List<WeightTensor> state = TorchvisionWeights.of(RESNET18, 6);
        Weights weights = PretrainedWeights.load(RESNET18, write(state), 7);

        WeightTensor conv = state.stream().filter(t -> t.name().equals("layer2.0.downsample.0.weight")).findFirst()
                .orElseThrow();
        assertThat(conv.shape()).containsExactly(128, 64, 1, 1);
        float[] hwio = weights.get("layer2_0_downsample_0_weight");
        // [1, 1, 64, 128]: input channel 5 of output 7 sits at 5 * 128 + 7
        assertThat(hwio[5 * 128 + 7]).isEqualTo(conv.values()[7 * 64 + 5]);
        WeightTensor var = state.stream().filter(t -> t.name().equals("layer4.1.bn2.running_var")).findFirst()
                .orElseThrow();
        assertThat(weights.get("layer4_1_bn2_running_var")).containsExactly(var.values());
        assertThat(RESNET18.weightSources()).hasSize(RESNET18.variables().size() - 2);
    }

    @Test
    void aTrunkSavedAsTensorsIsTheFileItWasLoadedFrom() throws IOException {
        List<WeightTensor> state = TorchvisionWeights.of(RESNET18, 9);
        Weights weights = PretrainedWeights.load(RESNET18, write(state), 2);

        List<WeightTensor> saved = PretrainedWeights.toTensors(weights);

        List<WeightTensor> trunk = state.stream().filter(t -> !RESNET18.ignores(t.name())).toList();
        assertThat(saved).extracting(WeightTensor::name).containsExactlyElementsOf(
                trunk.stream().map(WeightTensor::name).toList());
        for (int i = 0; i < trunk.size(); i++) {
            assertThat(saved.get(i).shape()).as(trunk.get(i).name()).isEqualTo(trunk.get(i).shape());
            assertThat(saved.get(i).values()).as(trunk.get(i).name()).isEqualTo(trunk.get(i).values());
        }
    }

    @Test
    void aMissingAMisShapedAndAnExtraTensorAreAllListedInOneError() throws IOException {
        List<WeightTensor> state = new ArrayList<>(TorchvisionWeights.of(RESNET18, 8));
        state.removeIf(t -> t.name().equals("layer3.1.conv2.weight"));
        state.replaceAll(t -> t.name().equals("bn1.running_mean")
                ? new WeightTensor(t.name(), List.of(65), new float[65]) : t);
        state.add(new WeightTensor("layer5.0.conv1.weight", List.of(1), new float[1]));
        Path file = write(state);

        assertThatThrownBy(() -> PretrainedWeights.load(RESNET18, file, 1))
                .isInstanceOfSatisfying(WeightFileMismatchException.class, e -> {
                    assertThat(e.missing()).containsExactly("layer3.1.conv2.weight [256, 256, 3, 3]");
                    assertThat(e.extra()).containsExactly("layer5.0.conv1.weight");
                    assertThat(e.mismatched()).containsExactly(
                            new WeightFileMismatchException.Mismatch("bn1.running_mean", List.of(64), List.of(65)));
                    assertThat(e.getMessage()).contains(file.toString(), "missing (1): layer3.1.conv2.weight",
                            "extra (1): layer5.0.conv1.weight",
                            "mismatched: bn1.running_mean expected [64], found [65]");
                });
    }

    @Test
    void aResNet50StateDictDoesNotFitResNet18() throws IOException {
        ResNetArchitecture resnet50 = ResNetArchitecture.of(ResNetVariant.RESNET50, 32, 32, 8);
        // a ResNet-50's names only (values shapeless but named): listing names is what is checked
        List<WeightTensor> names = resnet50.weightSources().values().stream()
                .map(s -> new WeightTensor(s.tensor(), List.of(1), new float[1])).toList();

        assertThatThrownBy(() -> PretrainedWeights.fromTensors(RESNET18,
                names.stream().collect(Collectors.toMap(WeightTensor::name, t -> t)), "resnet50", 1, Initialization.GLOROT))
                .isInstanceOf(WeightFileMismatchException.class)
                .hasMessageContaining("layer1.0.conv3.weight")
                .hasMessageContaining("mismatched: conv1.weight expected [64, 3, 7, 7], found [1]");
    }

    @Test
    void resNet50HasTorchvisionsStructure() {
        ResNetArchitecture resnet50 = ResNetArchitecture.of(ResNetVariant.RESNET50, 32, 32, 128);
        Map<String, VariableSpec> specs = resnet50.variables().stream()
                .collect(Collectors.toMap(VariableSpec::name, v -> v));

        // torchvision's resnet50 state_dict: 320 tensors less fc (2) and num_batches_tracked (53)
        assertThat(resnet50.weightSources()).hasSize(265);
        // v1.5: the stride sits on the 3x3 conv, whose width is the stage's planes
        assertThat(specs.get("layer2_0_conv2_weight").shape()).containsExactly(3, 3, 128, 128);
        assertThat(specs.get("layer4_2_conv3_weight").shape()).containsExactly(1, 1, 512, 2048);
        assertThat(specs.get("layer1_0_downsample_0_weight").shape()).containsExactly(1, 1, 64, 256);
        assertThat(specs).doesNotContainKey("layer1_1_downsample_0_weight");
        assertThat(specs.get("embedder_kernel").shape()).containsExactly(2048, 128);
        int parameters = resnet50.weightSources().keySet().stream()
                .filter(n -> !n.endsWith("running_mean") && !n.endsWith("running_var"))
                .mapToInt(n -> specs.get(n).size()).sum();
        // torchvision: 25,557,032 parameters with fc (2048 * 1000 + 1000)
        assertThat(parameters).isEqualTo(25_557_032 - 2_049_000);
    }
}
