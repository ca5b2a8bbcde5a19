package dev.realitycheck.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LossCatalogTest {

    @Test
    void everyPaperLossIsThereWithPmlDefaults() {
        assertThat(LossCatalog.names()).containsExactly("arcface", "contrastive", "cosface", "fastap", "margin",
                "multi_similarity", "normalized_softmax", "ntxent", "proxy_anchor", "proxy_nca", "snr_contrastive",
                "soft_triple", "triplet_margin");
        assertThat(LossCatalog.create("contrastive", Map.of(), 5, 8)).isEqualTo(new ContrastiveLoss());
        assertThat(LossCatalog.create("triplet_margin", Map.of(), 5, 8)).isEqualTo(new TripletMarginLoss());
        assertThat(LossCatalog.create("ntxent", Map.of(), 5, 8)).isEqualTo(new NTXentLoss());
        assertThat(LossCatalog.create("multi_similarity", Map.of(), 5, 8)).isEqualTo(new MultiSimilarityLoss());
        assertThat(LossCatalog.create("margin", Map.of(), 5, 8)).isEqualTo(new MarginLoss());
        assertThat(LossCatalog.create("snr_contrastive", Map.of(), 5, 8)).isEqualTo(new SnrContrastiveLoss());
        assertThat(LossCatalog.create("fastap", Map.of(), 5, 8)).isEqualTo(new FastAPLoss());
        assertThat(LossCatalog.create("proxy_nca", Map.of(), 5, 8)).isEqualTo(new ProxyNCALoss(5, 8));
        assertThat(LossCatalog.create("proxy_anchor", Map.of(), 5, 8)).isEqualTo(new ProxyAnchorLoss(5, 8));
        assertThat(LossCatalog.create("normalized_softmax", Map.of(), 5, 8)).isEqualTo(new NormalizedSoftmaxLoss(5, 8));
        assertThat(LossCatalog.create("cosface", Map.of(), 5, 8)).isEqualTo(new CosFaceLoss(5, 8));
        assertThat(LossCatalog.create("arcface", Map.of(), 5, 8)).isEqualTo(new ArcFaceLoss(5, 8));
        assertThat(LossCatalog.create("soft_triple", Map.of(), 5, 8)).isEqualTo(new SoftTripleLoss(5, 8));
    }

    @Test
    void overridesApply() {
        assertThat(LossCatalog.create("margin", Map.of("learn_beta", 1.0, "beta_per_class", 1.0), 5, 8).parameters())
                .singleElement().satisfies(s -> assertThat(s.shape()).containsExactly(5));
        assertThat(((TripletMarginLoss) LossCatalog.create("triplet_margin", Map.of("margin", 0.1), 5, 8)).margin())
                .isEqualTo(0.1);
    }

    @Test
    void badRequestsNameTheField() {
        assertThatThrownBy(() -> LossCatalog.create("lifted", Map.of(), 5, 8))
                .hasMessageContaining("unknown loss 'lifted'").hasMessageContaining("contrastive");
        assertThatThrownBy(() -> LossCatalog.create("ntxent", Map.of("temp", 0.1), 5, 8))
                .hasMessageContaining("no hyperparameter temp").hasMessageContaining("[temperature]");
        assertThatThrownBy(() -> LossCatalog.create("ntxent", Map.of("temperature", -1.0), 5, 8))
                .hasMessageContaining("ntxent: temperature must be positive and finite, was -1.0");
        assertThatThrownBy(() -> LossCatalog.create("fastap", Map.of("num_bins", 2.5), 5, 8))
                .hasMessageContaining("fastap.num_bins must be an integer, was 2.5");
        assertThatThrownBy(() -> LossCatalog.create("margin", Map.of("learn_beta", 2.0), 5, 8))
                .hasMessageContaining("margin.learn_beta must be 0 or 1");
        assertThatThrownBy(() -> LossCatalog.create("cosface", Map.of(), 1, 8))
                .hasMessageContaining("numClasses must be at least 2, was 1");
        assertThatThrownBy(() -> LossCatalog.create("cosface", Map.of("scale", Double.NaN), 3, 8))
                .hasMessageContaining("cosface.scale must be finite, was NaN");
    }
}
