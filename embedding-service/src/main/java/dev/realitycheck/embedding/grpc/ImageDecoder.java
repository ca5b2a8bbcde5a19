package dev.realitycheck.embedding.grpc;

import dev.realitycheck.proto.v1.EncodedImage;
import dev.realitycheck.proto.v1.InputSpec;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Decodes a PNG or JPEG item into the raw pixel values a checkpoint model takes (0..255, row-major
 * {@code [H, W, C]}; the model's graph applies its own scaling and normalisation).
 *
 * <p>Colour: grayscale for one channel, RGB for three (the manifest's {@code color_mode} must agree).
 * Size: with the manifest's {@code resize_shorter_side} > 0 the shorter side is scaled to it and the
 * centre {@code H x W} is cropped; otherwise the image is resized directly to {@code H x W} (bilinear).
 * Failures are INVALID_ARGUMENT naming the item.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * @param image  the encoded image
     * @param name   the item's field name, e.g. {@code items[3]}
     * @param shape  the model's input shape
     * @param input  the manifest's input description (may be the default instance)
     * @param out    where the values go
     * @param offset first index in {@code out}
     */
    static void decode(EncodedImage image, String name, List<Integer> shape, InputSpec input, float[] out, int offset) {
        if (shape.size() != 3 || (shape.get(2) != 1 && shape.get(2) != 3)) {
            throw ItemInputs.invalid(name + ".image: the model takes inputs of shape " + shape
                    + ", not images of shape [H, W, 1] or [H, W, 3]; send a tensor");
        }
        int height = shape.get(0);
        int width = shape.get(1);
        int channels = shape.get(2);
        String mode = input.getColorMode();
        if (!mode.isEmpty() && !mode.equals(channels == 1 ? "grayscale" : "rgb")) {
            throw ItemInputs.invalid(name + ".image: the manifest's color_mode '" + mode + "' does not fit "
                    + channels + " input channel(s)");
        }
        String media = image.getMediaType();
        if (!media.isEmpty() && !media.equals("image/png") && !media.equals("image/jpeg")) {
            throw ItemInputs.invalid(name + ".image.media_type '" + media + "' is not image/png or image/jpeg");
        }
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(image.getData().toByteArray()));
        } catch (IOException | RuntimeException e) {
            throw ItemInputs.invalid(name + ".image could not be decoded as PNG or JPEG: " + e.getMessage());
        }
        if (decoded == null) {
            throw ItemInputs.invalid(name + ".image could not be decoded as PNG or JPEG (" + image.getData().size()
                    + " bytes)");
        }
        BufferedImage sized = resize(decoded, width, height, input.getResizeShorterSide(),
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int at = offset;
        if (channels == 1) {
            var raster = sized.getRaster();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    out[at++] = raster.getSample(x, y, 0);
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = sized.getRGB(x, y);
                    out[at++] = (rgb >> 16) & 0xff;
                    out[at++] = (rgb >> 8) & 0xff;
                    out[at++] = rgb & 0xff;
                }
            }
        }
    }

    private static BufferedImage resize(BufferedImage source, int width, int height, int shorterSide, int type) {
        int drawWidth = width;
        int drawHeight = height;
        if (shorterSide > 0) {
            double scale = (double) shorterSide / Math.min(source.getWidth(), source.getHeight());
            drawWidth = Math.max(width, (int) Math.round(source.getWidth() * scale));
            drawHeight = Math.max(height, (int) Math.round(source.getHeight() * scale));
        }
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(source, -(drawWidth - width) / 2, -(drawHeight - height) / 2, drawWidth, drawHeight, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}
