package dev.realitycheck.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.ExperimentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Experiment specs from YAML and JSON files: the same spec either way, and mistakes named. */
class ExperimentSpecFilesTest {

    private static final String YAML = """
            # a comment
            name: y
            dataset:
              name: tiny
              format: DATASET_FORMAT_IDX
              split: {folds: 2, run_folds: [0]}
            settings:
              iterations: 20
              optimizer: {name: adam, trunk_learning_rate: 1e-3}
              extra: {mlp_hidden: 16}
            losses:
              - name: ms
                loss: multi_similarity
                hyperparameters: {alpha: 2.5}
                search:
                  trials: 5
                  ranges:
                    beta: {min: 1, max: 100, log_scale: true}
            seeds: [3, 4]
            """;

    @TempDir
    Path tmp;

    @Test
    void yamlAndJsonFilesReadToTheSameSpec() throws Exception {
        Path yaml = Files.writeString(tmp.resolve("spec.yaml"), YAML);
        ExperimentSpec spec = ExperimentSpecFiles.read(yaml);
        assertThat(spec.getDataset().getFormat()).isEqualTo(DatasetFormat.DATASET_FORMAT_IDX);
        assertThat(spec.getDataset().getSplit().getRunFoldsList()).containsExactly(0);
        assertThat(spec.getSettings().getOptimizer().getTrunkLearningRate()).isEqualTo(1e-3);
        assertThat(spec.getSettings().getExtraMap()).containsEntry("mlp_hidden", 16.0);
        assertThat(spec.getLosses(0).getHyperparametersMap()).containsEntry("alpha", 2.5);
        assertThat(spec.getLosses(0).getSearch().getRangesMap().get("beta").getLogScale()).isTrue();
        assertThat(spec.getSeedsList()).containsExactly(3L, 4L);

        Path json = Files.writeString(tmp.resolve("spec.json"), JsonFormat.printer().print(spec));
        assertThat(ExperimentSpecFiles.read(json)).isEqualTo(spec);
        Path yml = Files.writeString(tmp.resolve("spec.yml"), YAML);
        assertThat(ExperimentSpecFiles.read(yml)).isEqualTo(spec);
    }

    @Test
    void unknownFieldsAndBrokenFilesAreNamed() throws Exception {
        Path typo = Files.writeString(tmp.resolve("typo.yaml"), YAML.replace("iterations:", "iteratoins:"));
        assertThatThrownBy(() -> ExperimentSpecFiles.read(typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typo.yaml").hasMessageContaining("iteratoins");
        Path list = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        assertThatThrownBy(() -> ExperimentSpecFiles.read(list)).hasMessageContaining("mapping");
        Path broken = Files.writeString(tmp.resolve("broken.json"), "{\"name\": ");
        assertThatThrownBy(() -> ExperimentSpecFiles.read(broken)).hasMessageContaining("broken.json");
    }
}
