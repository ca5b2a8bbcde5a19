package dev.realitycheck.data.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file (JPEG, PNG, BMP, GIF: the JDK's ImageIO readers) to 8-bit RGB, the way
 * PIL's {@code convert("RGB")} does: grey copied to the three channels, alpha dropped (not
 * composited), palettes looked up, 16-bit samples scaled to 8 bits, any other colour space (CMYK,
 * which the JDK 25 JPEG reader decodes) converted to sRGB by the JDK. Every failure is an
 * {@link IOException} whose message starts with the file: missing, unreadable, zero bytes, not an
 * image, or a JPEG this JDK cannot decode (CMYK or YCCK on JDKs whose reader lacks them: convert
 * them to RGB first). Thread-safe (no shared state).
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /** @return the decoded image and what was converted */
    public static DecodedImage decode(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": missing");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": not readable (permissions)");
        }
        if (size == 0) {
            throw new IOException(file + ": zero bytes, not an image");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException(file + ": cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image (no JPEG, PNG, BMP or GIF reader recognises its bytes)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                image = reader.read(0);
            } catch (javax.imageio.IIOException e) {
                String hint = String.valueOf(e.getMessage()).contains("Unsupported Image Type")
                        ? " (a CMYK or YCCK JPEG? the JDK decodes grey and RGB JPEGs only: convert it to RGB)" : "";
                throw new IOException(file + ": cannot decode " + reader.getFormatName() + ": " + e.getMessage() + hint, e);
            } catch (RuntimeException e) {
                throw new IOException(file + ": corrupt " + reader.getFormatName() + ": " + e, e);
            } finally {
                reader.dispose();
            }
        }
        return toRgb(image);
    }

    /** Converts a decoded image to 8-bit RGB, noting what changed. */
    static DecodedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
            return new DecodedImage(new RgbImage(w, h, rgb), "");
        }
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        List<String> notes = new ArrayList<>();
        int bands = raster.getNumBands();
        int[] row = new int[w * bands];
        if (cm instanceof IndexColorModel icm) {
            notes.add("palette to RGB");
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int p = row[x * bands];
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) icm.getRed(p);
                    rgb[o + 1] = (byte) icm.getGreen(p);
                    rgb[o + 2] = (byte) icm.getBlue(p);
                }
            }
        } else if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY || cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
            boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            if (grey) {
                notes.add("grey to RGB");
            }
            int bits = cm.getComponentSize(0);
            if (bits > 8) {
                notes.add(bits + "-bit to 8-bit");
            }
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        int v = row[x * bands + (grey ? 0 : c)];
                        rgb[o + c] = (byte) (bits == 8 ? v : (v * 255 + max / 2) / max);
                    }
                }
            }
        } else {
            notes.add(colourSpaceName(cm.getColorSpace()) + " to sRGB");
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = image.getRGB(x, y);
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) (argb >> 16);
                    rgb[o + 1] = (byte) (argb >> 8);
                    rgb[o + 2] = (byte) argb;
                }
            }
        }
        if (cm.hasAlpha()) {
            notes.add("alpha dropped");
        }
        return new DecodedImage(new RgbImage(w, h, rgb), String.join(", ", notes));
    }

    private static String colourSpaceName(ColorSpace space) {
        return space.getType() == ColorSpace.TYPE_CMYK ? "CMYK" : "colour space type " + space.getType();
    }
}
