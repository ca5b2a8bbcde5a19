package dev.realitycheck.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.knn.Embeddings;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A fold's images hold its training and validation classes only; held-out scoring is query = reference. */
class FoldImagesTest {

    /** 8 classes x 3 images of 2x2; pixel value = 10 * label + image index within the class. */
    private static LabeledImages images() {
        int n = 24;
        byte[] pixels = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 8;
            Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) (10 * labels[i] + i / 8));
        }
        return new LabeledImages(2, 2, pixels, labels);
    }

    @Test
    void aFoldSeesItsTrainingAndValidationClassesAndNoTestClass() {
        FoldImages fold = FoldImages.of(images(), 2, 1); // train half 0-3: fold 1 validates on 2-3
        assertThat(fold.trainingClasses()).containsExactly(0, 1);
        assertThat(fold.validationClasses()).containsExactly(2, 3);
        assertThat(fold.training().labels()).containsExactly(0, 1, 0, 1, 0, 1); // renumbered
        assertThat(fold.validation().labels()).containsExactly(2, 3, 2, 3, 2, 3); // original labels
        assertThat(fold.validation().pixels()[0]).isEqualTo(20f); // raw pixel values
        int[] seen = new int[fold.training().count()];
        Arrays.setAll(seen, i -> fold.training().pixels()[i * 4] / 10);
        assertThat(seen).doesNotContain(4, 5, 6, 7);
        assertThatThrownBy(() -> FoldImages.of(images(), 2, 2)).hasMessageContaining("fold");
    }

    @Test
    void heldOutScoringRanksEveryImageAgainstTheOthers() throws Exception {
        HeldOutImages set = FoldImages.of(images(), 2, 1).validation();
        // one embedding per class, the same for all of its images: perfect retrieval
        HeldOutImages.Embedder byClass = (pixels, count, size) -> {
            float[] e = new float[count * 2];
            for (int i = 0; i < count; i++) {
                boolean two = pixels[i * size] < 30;
                e[i * 2] = two ? 1 : 0;
                e[i * 2 + 1] = two ? 0 : 1;
            }
            return new Embeddings(e, count, 2);
        };
        assertThat(set.mapAtR(byClass, 1)).isEqualTo(1.0);
        HeldOutImages.Embedder same = (pixels, count, size) -> {
            float[] e = new float[count * 2];
            Arrays.fill(e, 1f);
            return new Embeddings(e, count, 2);
        };
        assertThat(set.mapAtR(same, 1)).isLessThan(1.0);
    }
}
