package dev.realitycheck.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The records a manifest carries reject bad values and name them. */
class ModelSpecTest {

    @Test
    void preprocessingValidatesAndExposesItsAffineForm() {
        Preprocessing p = new Preprocessing(0.5f, List.of(1f, 2f), List.of(2f, 4f));
        assertThat(p.multiplier(1)).isEqualTo(0.125f);
        assertThat(p.offset(1)).isEqualTo(-0.5f);
        assertThat(Preprocessing.none().isIdentity()).isTrue();
        assertThat(Preprocessing.pixels().isIdentity()).isFalse();
        assertThat(Preprocessing.pixels().multiplier(0)).isEqualTo(1f / 255f);

        assertThatThrownBy(() -> new Preprocessing(0f, List.of(0f), List.of(1f))).hasMessageContaining("was 0.0");
        assertThatThrownBy(() -> new Preprocessing(Float.NaN, List.of(0f), List.of(1f))).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new Preprocessing(1f, List.of(), List.of())).hasMessageContaining("was []");
        assertThatThrownBy(() -> new Preprocessing(1f, List.of(0f), List.of(1f, 1f))).hasMessageContaining("[1.0, 1.0]");
        assertThatThrownBy(() -> new Preprocessing(1f, List.of(0f), List.of(-1f))).hasMessageContaining("std[0]")
                .hasMessageContaining("-1.0");
    }

    @Test
    void inputSpecChecksLayoutAndChannels() {
        InputSpec image = InputSpec.image(28, 28, 1, Preprocessing.pixels());
        assertThat(image.isImage()).isTrue();
        assertThat(image.size()).isEqualTo(784);
        assertThat(image.batchShape()).containsExactly(-1, 28, 28, 1);
        assertThat(InputSpec.vector(5).batchShape()).containsExactly(-1, 5);

        assertThatThrownBy(() -> new InputSpec(List.of(28, 28), Preprocessing.none())).hasMessageContaining("[28, 28]");
        assertThatThrownBy(() -> InputSpec.vector(0)).hasMessageContaining("[0]");
        assertThatThrownBy(() -> InputSpec.image(4, 4, 3, new Preprocessing(1f, List.of(0f, 0f), List.of(1f, 1f))))
                .hasMessageContaining("names 2 channels").hasMessageContaining("has 3");
        assertThatThrownBy(() -> new ModelSpec(image, 0)).hasMessageContaining("was 0");
    }

    @Test
    void architecturesValidateAndNameTheirVariablesWithoutSlashes() {
        assertThatThrownBy(() -> EmbeddingNetworks.mlp(10, 4, 8, -2)).hasMessageContaining("was -2");
        assertThatThrownBy(() -> new CnnArchitecture(InputSpec.vector(10), 4, 4, 4)).hasMessageContaining("[10]");
        assertThatThrownBy(() -> EmbeddingNetworks.cnn(3, 28, 8)).hasMessageContaining("[3, 28, 1]");
        assertThatThrownBy(() -> new VariableSpec("a/b", List.of(1), Initializer.ZEROS)).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> new VariableSpec("a", List.of(0), Initializer.ZEROS)).hasMessageContaining("[0]");

        assertThat(EmbeddingNetworks.mlp(784, 32, 64).variables()).extracting(VariableSpec::name)
                .containsExactly("dense0_kernel", "dense0_bias", "embedder_kernel", "embedder_bias");
        assertThat(EmbeddingNetworks.cnn(28, 28, 16).variables()).extracting(VariableSpec::shape)
                .contains(List.of(3, 3, 1, 16), List.of(3, 3, 16, 32), List.of(7 * 7 * 32, 16));
    }
}
