package dev.realitycheck.data.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

    @TempDir
    Path tmp;

    @Test
    void pngDecodesToItsExactRgbValues() throws IOException {
        BufferedImage picture = ImageDatasetFixtures.picture(3, 1, 17, 11);
        DecodedImage decoded = ImageDecoder.decode(ImageDatasetFixtures.write(picture, "png", tmp.resolve("a.png")));
        assertThat(decoded.converted()).isFalse();
        RgbImage rgb = decoded.image();
        assertThat(rgb.width()).isEqualTo(17);
        assertThat(rgb.height()).isEqualTo(11);
        int argb = picture.getRGB(5, 7);
        assertThat(new int[] {rgb.value(7, 5, 0), rgb.value(7, 5, 1), rgb.value(7, 5, 2)})
                .containsExactly((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
    }

    @Test
    void jpegDecodesCloseToTheWrittenColours() throws IOException {
        BufferedImage picture = ImageDatasetFixtures.picture(2, 0, 64, 48);
        RgbImage rgb = ImageDecoder.decode(ImageDatasetFixtures.write(picture, "jpg", tmp.resolve("a.jpg"))).image();
        int argb = picture.getRGB(30, 20);
        assertThat(rgb.value(20, 30, 0)).isCloseTo((argb >> 16) & 0xFF, org.assertj.core.data.Offset.offset(40));
        assertThat(rgb.width()).isEqualTo(64);
    }

    @Test
    void greyAlphaAndPaletteAreConvertedToRgbWithANote() throws IOException {
        BufferedImage picture = ImageDatasetFixtures.picture(4, 2, 9, 6);
        BufferedImage grey = ImageDatasetFixtures.grey(picture);
        DecodedImage g = ImageDecoder.decode(ImageDatasetFixtures.write(grey, "png", tmp.resolve("g.png")));
        assertThat(g.conversion()).isEqualTo("grey to RGB");
        int v = grey.getRaster().getSample(3, 2, 0);
        assertThat(new int[] {g.image().value(2, 3, 0), g.image().value(2, 3, 1), g.image().value(2, 3, 2)}).containsOnly(v);

        DecodedImage a = ImageDecoder.decode(ImageDatasetFixtures.write(ImageDatasetFixtures.withAlpha(picture), "png",
                tmp.resolve("a.png")));
        assertThat(a.conversion()).isEqualTo("alpha dropped");
        assertThat(a.image().value(2, 3, 1)).isEqualTo((picture.getRGB(3, 2) >> 8) & 0xFF);

        DecodedImage p = ImageDecoder.decode(ImageDatasetFixtures.write(ImageDatasetFixtures.palette(5, 5), "png",
                tmp.resolve("p.png")));
        assertThat(p.conversion()).isEqualTo("palette to RGB");
        assertThat(new int[] {p.image().value(0, 3, 0), p.image().value(0, 3, 1), p.image().value(0, 3, 2)})
                .containsExactly(10, 20, 200);
    }

    @Test
    void aCmykJpegIsConvertedWithANoteOrRefusedNamingTheFile() throws IOException {
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE,
                12, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 12; x++) {
                for (int c = 0; c < 4; c++) {
                    cmyk.setSample(x, y, c, (x * 20 + c * 40) % 256);
                }
            }
        }
        Path file = tmp.resolve("cmyk.jpg");
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var out = javax.imageio.ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        DecodedImage decoded;
        try {
            decoded = ImageDecoder.decode(file);
        } catch (IOException e) {
            // JDKs whose JPEG reader lacks CMYK (before 22): a clear error naming the file
            assertThat(e.getMessage()).startsWith(file + ": cannot decode").contains("CMYK");
            return;
        }
        assertThat(decoded.conversion()).isEqualTo("CMYK to sRGB");
        assertThat(decoded.image().width()).isEqualTo(12);
    }

    @Test
    void badFilesAreErrorsNamingTheFile() throws IOException {
        Path missing = tmp.resolve("missing.jpg");
        assertThatThrownBy(() -> ImageDecoder.decode(missing)).hasMessage(missing + ": missing");
        Path empty = Files.createFile(tmp.resolve("empty.jpg"));
        assertThatThrownBy(() -> ImageDecoder.decode(empty)).hasMessage(empty + ": zero bytes, not an image");
        Path text = tmp.resolve("text.png");
        ImageDatasetFixtures.corrupt(text);
        assertThatThrownBy(() -> ImageDecoder.decode(text)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(text + ": not an image");
        Path truncated = tmp.resolve("truncated.png");
        byte[] png = Files.readAllBytes(ImageDatasetFixtures.write(ImageDatasetFixtures.picture(1, 1, 40, 40), "png", tmp.resolve("whole.png")));
        Files.write(truncated, java.util.Arrays.copyOf(png, 60));
        assertThatThrownBy(() -> ImageDecoder.decode(truncated)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(truncated + ": ");
    }
}
