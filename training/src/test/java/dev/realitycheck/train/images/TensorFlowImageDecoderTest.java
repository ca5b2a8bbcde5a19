package dev.realitycheck.train.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.data.images.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** TensorFlow's decoding against the pixels written: exact for PNG, close for JPEG; bad bytes name the file. */
class TensorFlowImageDecoderTest {

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static BufferedImage smooth(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 128);
            }
        }
        return image;
    }

    @Test
    void pngIsDecodedExactlyAndGreyBecomesRgb() throws IOException {
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder()) {
            RgbImage png = decoder.decode(encode(smooth(20, 12, BufferedImage.TYPE_INT_RGB), "png"), "a.png");
            assertThat(png.width()).isEqualTo(20);
            assertThat(png.height()).isEqualTo(12);
            assertThat(png.value(3, 5, 0)).isEqualTo(40);
            assertThat(png.value(3, 5, 1)).isEqualTo(24);
            assertThat(png.value(3, 5, 2)).isEqualTo(128);
            BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
            grey.getRaster().setSample(2, 1, 0, 77);
            RgbImage g = decoder.decode(encode(grey, "png"), "g.png");
            assertThat(new int[] {g.value(1, 2, 0), g.value(1, 2, 1), g.value(1, 2, 2)}).containsExactly(77, 77, 77);
        }
    }

    @Test
    void jpegIsCloseToWhatWasWritten() throws IOException {
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder()) {
            RgbImage jpeg = decoder.decode(encode(smooth(32, 24, BufferedImage.TYPE_INT_RGB), "jpg"), "a.jpg");
            assertThat(jpeg.width()).isEqualTo(32);
            assertThat(jpeg.height()).isEqualTo(24);
            assertThat(jpeg.value(10, 20, 0)).isBetween(160 - 12, 160 + 12);
            assertThat(jpeg.value(10, 20, 1)).isBetween(80 - 12, 80 + 12);
            assertThat(jpeg.value(10, 20, 2)).isBetween(128 - 12, 128 + 12);
        }
    }

    @Test
    void bytesThatAreNoImageNameTheFile() {
        try (TensorFlowImageDecoder decoder = new TensorFlowImageDecoder()) {
            assertThatThrownBy(() -> decoder.decode("not an image".getBytes(), "/data/x/broken.jpg"))
                    .isInstanceOf(IOException.class).hasMessageStartingWith("/data/x/broken.jpg: not a decodable image");
            assertThatThrownBy(() -> decoder.decode(new byte[0], "/data/x/empty.jpg"))
                    .isInstanceOf(IOException.class).hasMessageContaining("/data/x/empty.jpg: empty file");
        }
    }
}
