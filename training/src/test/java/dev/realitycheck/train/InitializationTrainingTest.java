package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.model.Initialization;
import dev.realitycheck.model.Initializer;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.MlpArchitecture;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.VariableSpec;
import dev.realitycheck.model.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code initialization} setting in a training run: {@code pytorch} starts the network from
 * PyTorch's layer defaults and the loss's parameters from PML's, seeded like the default
 * {@code glorot}, and such a run trains.
 */
class InitializationTrainingTest {

    @TempDir
    Path tmp;

    private static TrainingConfig config(String loss, Path checkpoints, Initialization initialization) {
        MlpArchitecture mlp = new MlpArchitecture(InputSpec.image(TrainingRunTest.H, TrainingRunTest.W, 1,
                Preprocessing.pixels()), List.of(16), 4);
        return new TrainingConfig(mlp, LossCatalog.create(loss, Map.of(), TrainingRunTest.CLASSES, 4), null,
                RmsProp.of(0.01f), RmsProp.of(0.01f), RmsProp.of(0.01f), 12, 2, Augmentation.none(), 5, 5, 21,
                checkpoints, SessionThreads.DEFAULT).withInitialization(initialization);
    }

    @ParameterizedTest
    @CsvSource({"proxy_anchor, KAIMING_NORMAL_LAST", "soft_triple, UNIFORM_LAST", "arcface, STANDARD_NORMAL",
            "proxy_nca, STANDARD_NORMAL"})
    void pytorchRunStartsFromPytorchLayersAndPmlLossParametersAndTrains(String loss, Initializer pml) throws Exception {
        LabeledImages data = TrainingRunTest.images();
        TrainingConfig pytorch = config(loss, tmp.resolve("p"), Initialization.PYTORCH);
        TrainingRunTest.Recorder recorder = new TrainingRunTest.Recorder();
        try (TrainingRun run = TrainingRun.start(pytorch, data);
             TrainingRun glorot = TrainingRun.start(config(loss, tmp.resolve("g"), Initialization.GLOROT), data)) {
            Map<String, float[]> values = run.state().values();
            Weights expected = Weights.initial(pytorch.architecture(),
                    Seeds.random(21, Seeds.INITIAL, 0).nextLong(), Initialization.PYTORCH);
            for (String name : expected.names()) {
                assertThat(values.get(name)).as(name).containsExactly(expected.get(name));
            }
            assertThat(values.get("dense0_bias")).as("PyTorch's biases are not zero").doesNotContain(0f);
            VariableSpec parameter = pytorch.loss().parameters().getFirst();
            assertThat(pytorch.loss().pytorchInitializer(parameter)).isEqualTo(pml);
            assertThat(values.get(parameter.name()))
                    .containsExactly(pml.fill(parameter, Seeds.random(21, Seeds.INITIAL, 1)));
            assertThat(glorot.state().values().get(parameter.name()))
                    .containsExactly(parameter.initializer().fill(parameter, Seeds.random(21, Seeds.INITIAL, 1)));

            run.runUntil(4, recorder);
        }
        assertThat(recorder.losses).hasSize(4).allMatch(Float::isFinite);
    }
}
