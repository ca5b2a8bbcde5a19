package dev.realitycheck.train.images;

import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.ColourOrder;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes an 8-bit RGB image as the float values of one NHWC item: channel {@code c} of the output
 * is {@code v * multiplier[c] + offset[c]}, where {@code v} is the source channel that
 * {@code colourOrder} puts at {@code c} (or, for a one-channel input, the luma
 * {@code 0.299 R + 0.587 G + 0.114 B}).
 *
 * <p>Two forms come from a model's {@link Preprocessing}: {@link #of} applies all of it
 * ({@code (v * scale - mean[c]) / std[c]}, for a consumer feeding a trunk directly), and
 * {@link #rawPixels} only reorders, leaving values in 0..255: the form for this project's exported
 * models and training graph, which apply the preprocessing's affine part themselves
 * ({@code EmbeddingGraph}), so it must not be applied twice.
 *
 * @param channels    1 (luma) or 3 (colour) values per pixel
 * @param colourOrder the order of the three output channels (ignored for one channel)
 * @param multiplier  per output channel, {@code channels} finite values
 * @param offset      per output channel, {@code channels} finite values
 */
public record Normalisation(int channels, ColourOrder colourOrder, float[] multiplier, float[] offset) {

    /** Validates the channel count and copies the arrays. */
    public Normalisation {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image input has 1 or 3 channels, was " + channels);
        }
        Objects.requireNonNull(colourOrder, "colourOrder");
        multiplier = Objects.requireNonNull(multiplier, "multiplier").clone();
        offset = Objects.requireNonNull(offset, "offset").clone();
        if (multiplier.length != channels || offset.length != channels) {
            throw new IllegalArgumentException("multiplier and offset need " + channels + " values each, got "
                    + multiplier.length + " and " + offset.length);
        }
        for (int c = 0; c < channels; c++) {
            if (!Float.isFinite(multiplier[c]) || !Float.isFinite(offset[c])) {
                throw new IllegalArgumentException("channel " + c + ": multiplier " + multiplier[c] + " and offset "
                        + offset[c] + " must be finite");
            }
        }
    }

    /** @return a copy of the multipliers */
    @Override
    public float[] multiplier() {
        return multiplier.clone();
    }

    /** @return a copy of the offsets */
    @Override
    public float[] offset() {
        return offset.clone();
    }

    /** @return the whole preprocessing of a model's image input: colour order, scale, mean, std */
    public static Normalisation of(InputSpec input) {
        int channels = imageChannels(input);
        Preprocessing p = input.preprocessing();
        return new Normalisation(channels, p.colourOrder(), p.multipliers(channels), p.offsets(channels));
    }

    /** @return the colour order of a model's image input only; values stay raw 0..255 */
    public static Normalisation rawPixels(InputSpec input) {
        int channels = imageChannels(input);
        float[] one = new float[channels];
        Arrays.fill(one, 1f);
        return new Normalisation(channels, input.preprocessing().colourOrder(), one, new float[channels]);
    }

    private static int imageChannels(InputSpec input) {
        if (!input.isImage()) {
            throw new IllegalArgumentException("the model's input is not an image: " + input.shape());
        }
        return input.channels();
    }

    /**
     * @param image  the image, of the item's size
     * @param out    the batch
     * @param offset where the item starts in {@code out}; {@code width * height * channels} values follow
     */
    public void write(RgbImage image, float[] out, int offset) {
        byte[] rgb = image.rgb();
        int pixels = image.width() * image.height();
        if (channels == 1) {
            for (int i = 0, p = 0; i < pixels; i++, p += 3) {
                float luma = 0.299f * (rgb[p] & 0xFF) + 0.587f * (rgb[p + 1] & 0xFF) + 0.114f * (rgb[p + 2] & 0xFF);
                out[offset + i] = luma * multiplier[0] + this.offset[0];
            }
            return;
        }
        int s0 = colourOrder.sourceChannel(0);
        int s1 = colourOrder.sourceChannel(1);
        int s2 = colourOrder.sourceChannel(2);
        float a0 = multiplier[0];
        float a1 = multiplier[1];
        float a2 = multiplier[2];
        float b0 = this.offset[0];
        float b1 = this.offset[1];
        float b2 = this.offset[2];
        for (int i = 0, p = 0, o = offset; i < pixels; i++, p += 3, o += 3) {
            out[o] = (rgb[p + s0] & 0xFF) * a0 + b0;
            out[o + 1] = (rgb[p + s1] & 0xFF) * a1 + b1;
            out[o + 2] = (rgb[p + s2] & 0xFF) * a2 + b2;
        }
    }
}
