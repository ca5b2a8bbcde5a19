package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import org.junit.jupiter.api.Test;

/** {@link Normalisation} on two pixels against the formulas written out by hand. */
class NormalisationTest {

    private static final dev.realitycheck.data.images.RgbImage TWO = MemoryImages.of(2, 1, 10, 20, 30, 255, 0, 128);

    @Test
    void bnInceptionIsBgrMinusTheCaffeMeans() {
        float[] out = new float[7];
        Normalisation.of(InputSpec.image(1, 2, 3, Preprocessing.bnInception())).write(TWO, out, 1);
        assertThat(out).containsExactly(0f, 30 - 104f, 20 - 117f, 10 - 128f, 128 - 104f, 0 - 117f, 255 - 128f);
    }

    @Test
    void imagenetIsRgbScaledThenStandardised() {
        float[] out = new float[6];
        Normalisation.of(InputSpec.image(1, 2, 3, Preprocessing.imagenet())).write(TWO, out, 0);
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        int[] pixels = {10, 20, 30, 255, 0, 128};
        for (int i = 0; i < 6; i++) {
            assertThat(out[i]).isCloseTo((pixels[i] / 255f - mean[i % 3]) / std[i % 3], within(1e-5f));
        }
    }

    @Test
    void rawPixelsOnlyReorders() {
        float[] out = new float[6];
        Normalisation.rawPixels(InputSpec.image(1, 2, 3, Preprocessing.bnInception())).write(TWO, out, 0);
        assertThat(out).containsExactly(30f, 20f, 10f, 128f, 0f, 255f);
        Normalisation.rawPixels(InputSpec.image(1, 2, 3, Preprocessing.pixels())).write(TWO, out, 0);
        assertThat(out).containsExactly(10f, 20f, 30f, 255f, 0f, 128f);
    }

    @Test
    void oneChannelIsTheLumaThenTheAffine() {
        float[] out = new float[2];
        Normalisation.of(InputSpec.image(1, 2, 1, Preprocessing.pixels())).write(TWO, out, 0);
        assertThat(out[0]).isCloseTo((0.299f * 10 + 0.587f * 20 + 0.114f * 30) / 255f, within(1e-6f));
        assertThat(out[1]).isCloseTo((0.299f * 255 + 0.114f * 128) / 255f, within(1e-6f));
    }
}
