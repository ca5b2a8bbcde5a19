package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MPerClassSamplerTest {

    static int[] labels(int classes, int perClass) {
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    @Test
    void batchesHoldMOfEachOfBatchOverMDistinctClasses() {
        int[] labels = labels(10, 7);
        MPerClassSampler sampler = new MPerClassSampler(labels, 4, 16, 3);
        for (long b = 0; b < 50; b++) {
            int[] batch = sampler.batch(b);
            assertThat(batch).hasSize(16);
            Map<Integer, Integer> counts = new HashMap<>();
            for (int i : batch) {
                counts.merge(labels[i], 1, Integer::sum);
            }
            assertThat(counts).hasSize(4);
            assertThat(counts.values()).containsOnly(4);
            for (int c = 0; c < 4; c++) {
                assertThat(java.util.Arrays.stream(batch, c * 4, c * 4 + 4).distinct().count()).isEqualTo(4);
            }
        }
    }

    @Test
    void sameSeedSameSequenceOtherSeedOtherSequence() {
        int[] labels = labels(10, 7);
        MPerClassSampler a = new MPerClassSampler(labels, 2, 8, 42);
        MPerClassSampler b = new MPerClassSampler(labels, 2, 8, 42);
        MPerClassSampler c = new MPerClassSampler(labels, 2, 8, 43);
        boolean differs = false;
        for (long i = 0; i < 20; i++) {
            assertThat(a.batch(i)).containsExactly(b.batch(i));
            differs |= !java.util.Arrays.equals(a.batch(i), c.batch(i));
        }
        assertThat(differs).isTrue();
        assertThat(a.batch(0)).isNotEqualTo(a.batch(1));
    }

    @Test
    void smallClassesAreSampledWithReplacement() {
        int[] labels = labels(3, 2);
        int[] batch = new MPerClassSampler(labels, 5, 15, 1).batch(0);
        assertThat(batch).hasSize(15);
        assertThat(java.util.Arrays.stream(batch).allMatch(i -> i >= 0 && i < 6)).isTrue();
    }

    @Test
    void badSettingsNameTheValue() {
        int[] labels = labels(4, 5);
        assertThatThrownBy(() -> new MPerClassSampler(labels, 3, 16, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m (3)").hasMessageContaining("16");
        assertThatThrownBy(() -> new MPerClassSampler(labels, 2, 16, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 8 classes")
                .hasMessageContaining("has 4");
        assertThatThrownBy(() -> new MPerClassSampler(labels, 0, 16, 0)).hasMessageContaining("was 0");
    }
}
