package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The resize, crop and flip transforms and the paper's training and evaluation transforms built from them. */
class TransformsTest {

    @Test
    void resizeSetsTheShorterSideAndTruncatesTheLongerAsTorchvision() {
        ResizeShorterSide resize = new ResizeShorterSide(256);
        RgbImage landscape = resize.apply(MemoryImages.pattern(500, 375));
        assertThat(landscape.width()).isEqualTo(341); // int(256 * 500 / 375) = int(341.33)
        assertThat(landscape.height()).isEqualTo(256);
        RgbImage portrait = resize.apply(MemoryImages.pattern(375, 500));
        assertThat(portrait.width()).isEqualTo(256);
        assertThat(portrait.height()).isEqualTo(341);
        RgbImage cached = MemoryImages.pattern(300, 256);
        assertThat(resize.apply(cached)).isSameAs(cached);
    }

    @Test
    void theResizeFollowsTheModelsCropSize() {
        assertThat(ResizeShorterSide.forCrop(227, 227).size()).isEqualTo(256);
        assertThat(ResizeShorterSide.forCrop(28, 28).size()).isEqualTo(32);
        assertThat(ResizeShorterSide.forCrop(64, 64).size()).isEqualTo(72);
    }

    @Test
    void centreCropRoundsHalfToEvenAsTorchvision() {
        // 341 x 256 -> 227: left (341 - 227) / 2 = 57, top round(14.5) = 14
        assertThat(CropBox.centre(341, 256, 227, 227)).isEqualTo(new CropBox(57, 14, 227, 227));
        assertThat(CropBox.centre(32, 35, 28, 28)).isEqualTo(new CropBox(2, 4, 28, 28)); // round(3.5) = 4
    }

    @Test
    void evaluationIsResizeThenTheCentreCrop() throws Exception {
        RgbImage image = new MemoryImages(1, 1, 5).read(0);
        EvaluationTransform eval = EvaluationTransform.forInput(InputSpec.image(28, 28, 3, Preprocessing.pixels()));
        RgbImage resized = new ResizeShorterSide(32).apply(image);
        CropBox box = CropBox.centre(resized.width(), resized.height(), 28, 28);
        RgbImage out = eval.apply(image, new SplittableRandom(1));
        assertThat(out.width()).isEqualTo(28);
        assertThat(out.height()).isEqualTo(28);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(out.value(y, x, c)).isEqualTo(resized.value(y + box.top(), x + box.left(), c));
                }
            }
        }
    }

    @Test
    void randomCropsStayInTheImageAndInTheirRanges() {
        RandomResizedCrop crop = RandomResizedCrop.paper(227, 227);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            CropBox box = crop.box(341, 256, random);
            assertThat(box.fits(341, 256)).isTrue();
            double area = (double) box.width() * box.height() / (341 * 256);
            double ratio = (double) box.width() / box.height();
            // rounding of width and height to whole pixels widens the ranges slightly
            assertThat(area).isBetween(0.15, 1.0);
            assertThat(ratio).isBetween(0.74, 1.35);
        }
    }

    @Test
    void theSameDrawsGiveTheSameCrop() {
        RandomResizedCrop crop = RandomResizedCrop.paper(64, 64);
        assertThat(crop.box(300, 200, new SplittableRandom(9))).isEqualTo(crop.box(300, 200, new SplittableRandom(9)));
        assertThat(crop.box(300, 200, new SplittableRandom(9))).isNotEqualTo(crop.box(300, 200, new SplittableRandom(10)));
    }

    @Test
    void afterTenMissesTheCentreCropClampedToTheRatioRange() {
        // the whole area at ratio >= 2 cannot fit a square: every attempt misses
        RandomResizedCrop wide = new RandomResizedCrop(10, 10, 1.0, 1.0, 2.0, 3.0);
        assertThat(wide.box(100, 100, new SplittableRandom(1))).isEqualTo(new CropBox(0, 25, 100, 50));
        RandomResizedCrop tall = new RandomResizedCrop(10, 10, 1.0, 1.0, 0.25, 0.5);
        assertThat(tall.box(100, 100, new SplittableRandom(1))).isEqualTo(new CropBox(25, 0, 50, 100));
        RandomResizedCrop any = new RandomResizedCrop(10, 10, 1.0, 1.0, 1.5, 1.5);
        // 150 x 100 fits exactly at ratio 1.5 on the first attempt
        assertThat(any.box(150, 100, new SplittableRandom(1))).isEqualTo(new CropBox(0, 0, 150, 100));
    }

    @Test
    void flipMirrorsColumns() {
        RgbImage row = MemoryImages.of(3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(HorizontalFlip.apply(row).rgb()).containsExactly(7, 8, 9, 4, 5, 6, 1, 2, 3);
    }

    @Test
    void trainingIsTheCropOfTheResizedImageThenTheFlipWithTheSameDraws() throws Exception {
        RgbImage image = new MemoryImages(1, 1, 6).read(0);
        TrainingTransform train = TrainingTransform.forInput(InputSpec.image(28, 28, 3, Preprocessing.pixels()));
        int flipped = 0;
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom expected = new SplittableRandom(seed);
            RgbImage resized = new ResizeShorterSide(32).apply(image);
            RgbImage crop = RandomResizedCrop.paper(28, 28).apply(resized, expected);
            boolean flip = expected.nextBoolean();
            RgbImage reference = flip ? HorizontalFlip.apply(crop) : crop;
            flipped += flip ? 1 : 0;
            assertThat(train.apply(image, new SplittableRandom(seed)).rgb()).isEqualTo(reference.rgb());
        }
        assertThat(flipped).isBetween(8, 32);
    }

    @Test
    void aConstantImageStaysConstantThroughEveryTransform() {
        byte[] rgb = new byte[500 * 375 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = 17;
            rgb[i + 1] = (byte) 128;
            rgb[i + 2] = (byte) 250;
        }
        RgbImage flat = new RgbImage(500, 375, rgb);
        InputSpec spec = InputSpec.image(227, 227, 3, Preprocessing.pixels());
        for (ImageTransform t : new ImageTransform[] {TrainingTransform.forInput(spec), EvaluationTransform.forInput(spec)}) {
            RgbImage out = t.apply(flat, new SplittableRandom(4));
            for (int p = 0; p < 227 * 227; p++) {
                assertThat(new int[] {out.rgb()[p * 3] & 0xFF, out.rgb()[p * 3 + 1] & 0xFF, out.rgb()[p * 3 + 2] & 0xFF})
                        .containsExactly(17, 128, 250);
            }
        }
    }
}
