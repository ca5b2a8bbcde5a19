package dev.realitycheck.data.images;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShorterSideResizeTest {

    @Test
    void keepsTheAspectRatioWithTheShorterSideAtTheTarget() {
        RgbImage wide = new RgbImage(500, 375, new byte[500 * 375 * 3]);
        RgbImage resized = ShorterSideResize.apply(wide, 256);
        assertThat(resized.height()).isEqualTo(256);
        assertThat(resized.width()).isEqualTo(341);
        RgbImage tall = ShorterSideResize.apply(new RgbImage(30, 60, new byte[30 * 60 * 3]), 256);
        assertThat(tall.width()).isEqualTo(256);
        assertThat(tall.height()).isEqualTo(512);
        assertThat(ShorterSideResize.apply(resized, 256)).isSameAs(resized);
    }

    @Test
    void interpolatesBilinearlyWithHalfPixelCentres() {
        // 2x1 -> 4x2: output x maps to source (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1]
        byte[] px = {0, 0, 0, (byte) 200, (byte) 100, 40};
        RgbImage up = ShorterSideResize.apply(new RgbImage(2, 1, px), 2);
        assertThat(up.width()).isEqualTo(4);
        assertThat(up.height()).isEqualTo(2);
        assertThat(new int[] {up.value(0, 0, 0), up.value(0, 1, 0), up.value(0, 2, 0), up.value(0, 3, 0)})
                .containsExactly(0, 50, 150, 200);
        assertThat(up.value(1, 1, 1)).isEqualTo(25);
        assertThat(up.value(1, 2, 2)).isEqualTo(30);
    }
}
