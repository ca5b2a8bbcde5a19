package dev.realitycheck.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    static float[] images(int count, int h, int w) {
        float[] a = new float[count * h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    @Test
    void noneLeavesTheBatchAlone() {
        float[] batch = images(2, 3, 3);
        assertThat(Augmentation.none().apply(batch, 2, 3, 3, 1, new SplittableRandom(1))).isSameAs(batch);
    }

    @Test
    void sameGeneratorSameResult() {
        Augmentation a = new Augmentation(2, true);
        float[] batch = images(16, 5, 4);
        float[] x = a.apply(batch, 16, 5, 4, 1, new SplittableRandom(9));
        float[] y = a.apply(batch, 16, 5, 4, 1, new SplittableRandom(9));
        float[] z = a.apply(batch, 16, 5, 4, 1, new SplittableRandom(10));
        assertThat(x).hasSize(batch.length).containsExactly(y);
        assertThat(z).isNotEqualTo(x);
    }

    @Test
    void flipOnlyMirrorsRowsOrLeavesThem() {
        int h = 3, w = 4;
        float[] batch = images(20, h, w);
        float[] out = new Augmentation(0, true).apply(batch, 20, h, w, 1, new SplittableRandom(3));
        int flipped = 0;
        for (int n = 0; n < 20; n++) {
            boolean same = true, mirrored = true;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = out[n * h * w + y * w + x];
                    same &= v == batch[n * h * w + y * w + x];
                    mirrored &= v == batch[n * h * w + y * w + (w - 1 - x)];
                }
            }
            assertThat(same || mirrored).isTrue();
            flipped += mirrored ? 1 : 0;
        }
        assertThat(flipped).isBetween(1, 19);
    }

    @Test
    void cropIsAShiftWithZerosComingIn() {
        int h = 4, w = 4, pad = 1;
        float[] batch = images(30, h, w);
        float[] out = new Augmentation(pad, false).apply(batch, 30, h, w, 1, new SplittableRandom(5));
        for (int n = 0; n < 30; n++) {
            boolean found = false;
            for (int dy = -pad; dy <= pad && !found; dy++) {
                for (int dx = -pad; dx <= pad && !found; dx++) {
                    boolean match = true;
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            int sy = y + dy, sx = x + dx;
                            float expected = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : batch[n * h * w + sy * w + sx];
                            match &= out[n * h * w + y * w + x] == expected;
                        }
                    }
                    found = match;
                }
            }
            assertThat(found).as("image %d is a shift of its original", n).isTrue();
        }
    }

    @Test
    void multiChannelPixelsMoveTogether() {
        float[] batch = images(1, 2, 2 * 3);
        float[] out = new Augmentation(0, true).apply(batch, 1, 2, 2, 3, new SplittableRandom(0));
        boolean flipped = out[0] != batch[0];
        if (flipped) {
            assertThat(new float[] {out[0], out[1], out[2]}).containsExactly(batch[3], batch[4], batch[5]);
        }
        assertThatThrownBy(() -> new Augmentation(-1, false)).hasMessageContaining("was -1");
        assertThatThrownBy(() -> new Augmentation(1, false).apply(new float[5], 1, 2, 2, 1, new SplittableRandom(0)))
                .hasMessageContaining("got 5");
    }
}
