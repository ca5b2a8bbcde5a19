package dev.realitycheck.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link Bilinear} against values computed by hand from Pillow's bilinear filter (triangle of
 * support max(scale, 1), half-pixel centres, taps clipped and renormalised, 8-bit rounding) and
 * against values Pillow computed.
 */
class BilinearTest {

    @Test
    void shrinkingAveragesOverTheWidenedTriangle() {
        // 4 -> 2, scale 2, support 2. Output 0: centre 1.0, taps x = 0, 1, 2 with weights
        // 0.75, 0.75, 0.25 (sum 1.75). Output 1: centre 3.0, taps 1, 2, 3 with 0.25, 0.75, 0.75.
        RgbImage row = image(4, 1, 0, 10, 255, 100, 20, 0, 200, 30, 0, 40, 40, 0);
        RgbImage out = Bilinear.resize(row, CropBox.whole(4, 1), 2, 1);
        assertThat(out.rgb()).containsExactly(
                (byte) Math.round((0 * .75 + 100 * .75 + 200 * .25) / 1.75), // 71
                (byte) Math.round((10 * .75 + 20 * .75 + 30 * .25) / 1.75), // 17
                (byte) Math.round((255 * .75 + 0 * .75 + 0 * .25) / 1.75), // 109
                (byte) Math.round((100 * .25 + 200 * .75 + 40 * .75) / 1.75), // 117
                (byte) Math.round((20 * .25 + 30 * .75 + 40 * .75) / 1.75), // 33
                (byte) Math.round((0 * .25 + 0 * .75 + 0 * .75) / 1.75));
        assertThat(out.value(0, 0, 0)).isEqualTo(71);
        assertThat(out.value(0, 1, 0)).isEqualTo(117);
    }

    @Test
    void enlargingIsHalfPixelBilinearWithClampedEdges() {
        // 2 -> 4 along the column: centres 0.25, 0.75, 1.25, 1.75 in source pixels
        RgbImage column = image(1, 2, 0, 0, 0, 100, 200, 40);
        RgbImage out = Bilinear.resize(column, CropBox.whole(1, 2), 1, 4);
        assertThat(out.rgb()).containsExactly(
                (byte) 0, (byte) 0, (byte) 0,
                (byte) 25, (byte) 50, (byte) 10,
                (byte) 75, (byte) 150, (byte) 30,
                (byte) 100, (byte) 200, (byte) 40);
    }

    @Test
    void twoPassesRoundTheIntermediateTo8Bits() {
        // 2x2 -> 1x1: horizontal pass averages each row (round half up), vertical the two results
        RgbImage square = image(2, 2, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2);
        RgbImage out = Bilinear.resize(square, CropBox.whole(2, 2), 1, 1);
        // rows: (0+1)/2 = 0.5 -> 1, (2+2)/2 = 2; then (1+2)/2 = 1.5 -> 2 (unrounded it would be 1.25 -> 1)
        assertThat(out.value(0, 0, 0)).isEqualTo(2);
    }

    @Test
    void matchesPillowBitForBit() {
        // Pillow 9.4: Image.fromarray(pattern 9x8).resize((4, 3), BILINEAR) and .crop((2, 1, 8, 7)).resize((4, 5), BILINEAR)
        RgbImage image = TestImages.pattern(9, 8);
        assertThat(unsigned(Bilinear.resize(image, CropBox.whole(9, 8), 4, 3))).containsExactly(
                20, 70, 120, 27, 77, 127, 33, 83, 133, 40, 90, 140, 58, 108, 158, 65, 115, 165, 71, 121, 171, 78, 128,
                178, 96, 146, 196, 103, 153, 203, 109, 159, 209, 116, 166, 216);
        assertThat(unsigned(Bilinear.resize(image, new CropBox(2, 1, 6, 6), 4, 5))).containsExactly(
                26, 76, 126, 30, 80, 130, 35, 85, 135, 39, 89, 139, 45, 95, 145, 49, 99, 149, 54, 104, 154, 58, 108,
                158, 63, 113, 163, 67, 117, 167, 72, 122, 172, 76, 126, 176, 81, 131, 181, 85, 135, 185, 90, 140, 190,
                94, 144, 194, 100, 150, 200, 104, 154, 204, 109, 159, 209, 113, 163, 213);
    }

    @Test
    void aWindowOfTheResultIsThatPartOfTheWholeResultBitForBit() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        for (int t = 0; t < 400; t++) {
            int w = 1 + random.nextInt(90);
            int h = 1 + random.nextInt(90);
            byte[] rgb = new byte[w * h * 3];
            random.nextBytes(rgb);
            RgbImage image = new RgbImage(w, h, rgb);
            int bw = 1 + random.nextInt(w);
            int bh = 1 + random.nextInt(h);
            CropBox box = new CropBox(random.nextInt(w - bw + 1), random.nextInt(h - bh + 1), bw, bh);
            // a quarter of the cases keep a side (the copy paths), the others shrink or enlarge it
            int outW = random.nextInt(4) == 0 ? bw : 1 + random.nextInt(120);
            int outH = random.nextInt(4) == 0 ? bh : 1 + random.nextInt(120);
            int ww = 1 + random.nextInt(outW);
            int wh = 1 + random.nextInt(outH);
            CropBox window = new CropBox(random.nextInt(outW - ww + 1), random.nextInt(outH - wh + 1), ww, wh);
            RgbImage whole = Bilinear.resize(image, box, outW, outH);
            RgbImage part = Bilinear.resize(image, box, outW, outH, window);
            assertThat(part.width()).isEqualTo(ww);
            assertThat(part.height()).isEqualTo(wh);
            for (int y = 0; y < wh; y++) {
                for (int x = 0; x < ww; x++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(part.value(y, x, c)).as("case %d at %d,%d,%d", t, y, x, c)
                                .isEqualTo(whole.value(y + window.top(), x + window.left(), c));
                    }
                }
            }
        }
        assertThatThrownBy(() -> Bilinear.resize(TestImages.pattern(9, 8), CropBox.whole(9, 8), 4, 3,
                new CropBox(1, 1, 4, 2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 x 3");
    }

    private static int[] unsigned(RgbImage image) {
        int[] values = new int[image.rgb().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = image.rgb()[i] & 0xFF;
        }
        return values;
    }

    @Test
    void sameSizeCopiesTheBoxExactly() {
        RgbImage image = TestImages.pattern(7, 5);
        RgbImage out = Bilinear.resize(image, new CropBox(2, 1, 4, 3), 4, 3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(out.value(y, x, c)).isEqualTo(image.value(y + 1, x + 2, c));
                }
            }
        }
    }

    @Test
    void theFilterSeesOnlyTheBox() {
        // a box resized is the same as the box cut out first, then resized (torchvision crops, then resizes)
        RgbImage image = TestImages.pattern(9, 8);
        CropBox box = new CropBox(3, 2, 5, 4);
        RgbImage cut = Bilinear.resize(image, box, 5, 4);
        assertThat(Bilinear.resize(image, box, 3, 7).rgb())
                .isEqualTo(Bilinear.resize(cut, CropBox.whole(5, 4), 3, 7).rgb());
    }

    @Test
    void aBoxOutsideTheImageIsRefused() {
        assertThatThrownBy(() -> Bilinear.resize(TestImages.pattern(4, 4), new CropBox(2, 0, 3, 4), 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
    }

    private static RgbImage image(int width, int height, int... values) {
        byte[] rgb = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            rgb[i] = (byte) values[i];
        }
        return new RgbImage(width, height, rgb);
    }
}
