package dev.realitycheck.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabeledImagesTest {

    private static final LabeledImages TWO = new LabeledImages(2, 3,
            IdxBytes.ubytes(0, 1, 2, 3, 4, 5, 255, 254, 253, 128, 127, 0), new int[] {7, 3});

    @Test
    void exposesCountsPixelsAndLabels() {
        assertThat(TWO.count()).isEqualTo(2);
        assertThat(TWO.pixelsPerImage()).isEqualTo(6);
        assertThat(TWO.label(1)).isEqualTo(3);
        assertThat(TWO.pixel(0, 1, 2)).isEqualTo(5);
        assertThat(TWO.pixel(1, 0, 0)).isEqualTo(255);
    }

    @Test
    void copiesImagesScaledToTheUnitInterval() {
        float[] dst = new float[8];

        TWO.copyImageScaled(1, dst, 1);

        assertThat(dst).containsExactly(0f, 1f, 254 / 255f, 253 / 255f, 128 / 255f, 127 / 255f, 0f, 0f);
    }

    @Test
    void givesTheImagesAtIndicesAsRawValuesInTheirOrder() {
        assertThat(TWO.rawImages(new int[] {1, 0, 1})).containsExactly(
                255f, 254f, 253f, 128f, 127f, 0f, 0f, 1f, 2f, 3f, 4f, 5f, 255f, 254f, 253f, 128f, 127f, 0f);
        assertThat(TWO.rawImages(new int[0])).isEmpty();
        assertThatThrownBy(() -> TWO.rawImages(new int[] {0, 2})).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void concatenatesImagesAndLabelsInOrder() {
        LabeledImages one = new LabeledImages(2, 3, IdxBytes.ubytes(9, 9, 9, 9, 9, 9), new int[] {1});

        LabeledImages joined = TWO.concat(one);

        assertThat(joined.count()).isEqualTo(3);
        assertThat(joined.labels()).containsExactly(7, 3, 1);
        assertThat(joined.pixel(2, 1, 2)).isEqualTo(9);
        assertThat(joined.pixel(1, 0, 0)).isEqualTo(255);
    }

    @Test
    void refusesToConcatenateImagesOfDifferentSizes() {
        LabeledImages other = new LabeledImages(3, 2, new byte[6], new int[] {1});

        assertThatThrownBy(() -> TWO.concat(other)).hasMessage("cannot concatenate 2 x 3 images with 3 x 2 images");
    }

    @Test
    void validatesSizesInTheConstructor() {
        assertThatThrownBy(() -> new LabeledImages(28, 28, new byte[784], new int[2]))
                .hasMessage("2 labels need 2 images of 28 x 28 = 1568 pixels, got 784");
        assertThatThrownBy(() -> new LabeledImages(0, 28, new byte[0], new int[0]))
                .hasMessage("image size must be positive, got height 0, width 28");
    }

    @Test
    void comparesByContents() {
        LabeledImages copy = new LabeledImages(2, 3, TWO.pixels().clone(), TWO.labels().clone());

        assertThat(copy).isEqualTo(TWO).hasSameHashCodeAs(TWO).hasToString("LabeledImages[2 images of 2 x 3]");
    }
}
