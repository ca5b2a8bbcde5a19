package dev.realitycheck.model;

import java.util.List;
import java.util.Objects;

/**
 * How raw input values become network inputs: {@code x' = (x * scale - mean[c]) / std[c]}, where
 * {@code c} is the index along the last input dimension (the channel of an image, the component of
 * a vector).
 *
 * <p>The exported graph applies this itself, between the {@code images} input and the trunk, so a
 * caller feeds raw values (pixels in 0..255 for {@link #pixels()}); the manifest carries it so a
 * reader knows what the model expects without opening it. {@code mean} and {@code std} hold either
 * one value (shared by every channel) or one per channel; {@link InputSpec} checks the count.
 *
 * <p>{@code colourOrder} says which colour the channels of a three-channel image input are in
 * ({@link ColourOrder#BGR} for BN-Inception); the graph does not reorder, so a caller feeds raw
 * pixels already in that order, and {@code mean[0]}/{@code std[0]} belong to the first channel of
 * that order (blue for BGR). It is {@link ColourOrder#RGB} unless given.
 *
 * @param scale       multiplies every raw value first; finite and positive (e.g. 1/255)
 * @param mean        subtracted after scaling; one or one-per-channel finite values
 * @param std         divides last; as many values as {@code mean}, each finite and positive
 * @param colourOrder the channel order of a colour image input; not null
 */
public record Preprocessing(float scale, List<Float> mean, List<Float> std, ColourOrder colourOrder) {

    private static final Preprocessing NONE = new Preprocessing(1f, List.of(0f), List.of(1f));
    private static final Preprocessing PIXELS = new Preprocessing(1f / 255f, List.of(0f), List.of(1f));
    private static final Preprocessing IMAGENET = new Preprocessing(1f / 255f, List.of(0.485f, 0.456f, 0.406f),
            List.of(0.229f, 0.224f, 0.225f));
    private static final Preprocessing BN_INCEPTION = new Preprocessing(1f, List.of(104f, 117f, 128f),
            List.of(1f, 1f, 1f), ColourOrder.BGR);
    private static final Preprocessing CAFFE = new Preprocessing(1f, List.of(103.939f, 116.779f, 123.68f),
            List.of(1f, 1f, 1f), ColourOrder.BGR);

    /** Validates the values and copies the lists. */
    public Preprocessing {
        Objects.requireNonNull(colourOrder, "colourOrder");
        if (!(scale > 0f) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be finite and positive, was " + scale);
        }
        mean = List.copyOf(Objects.requireNonNull(mean, "mean"));
        std = List.copyOf(Objects.requireNonNull(std, "std"));
        if (mean.isEmpty()) {
            throw new IllegalArgumentException("mean must hold at least one value, was " + mean);
        }
        if (std.size() != mean.size()) {
            throw new IllegalArgumentException("std must hold as many values as mean (" + mean.size()
                    + "), was " + std);
        }
        for (int c = 0; c < mean.size(); c++) {
            if (!Float.isFinite(mean.get(c))) {
                throw new IllegalArgumentException("mean[" + c + "] must be finite, was " + mean.get(c));
            }
            if (!(std.get(c) > 0f) || !Float.isFinite(std.get(c))) {
                throw new IllegalArgumentException("std[" + c + "] must be finite and positive, was " + std.get(c));
            }
        }
    }

    /** RGB order: the form every existing model and manifest uses. */
    public Preprocessing(float scale, List<Float> mean, List<Float> std) {
        this(scale, mean, std, ColourOrder.RGB);
    }

    /** @return the identity: raw values are fed to the network unchanged (vectors, pre-scaled data) */
    public static Preprocessing none() {
        return NONE;
    }

    /** @return 8-bit pixels to [0, 1]: scale 1/255, mean 0, std 1 */
    public static Preprocessing pixels() {
        return PIXELS;
    }

    /**
     * @return torchvision's ImageNet normalisation of 8-bit RGB pixels: scale 1/255, mean
     *         (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225), channels in R, G, B order
     */
    public static Preprocessing imagenet() {
        return IMAGENET;
    }

    /**
     * @return Keras applications' "caffe" normalisation (ResNet50): BGR pixels in 0..255 (scale 1)
     *         minus the ImageNet mean [103.939, 116.779, 123.68] per B, G, R channel, std 1 (Keras'
     *         {@code preprocess_input} reverses RGB to BGR and subtracts these; the caller feeds BGR,
     *         so the network does not reverse). Not {@link #bnInception()}: that one's mean is
     *         [104, 117, 128]
     */
    public static Preprocessing caffe() {
        return CAFFE;
    }

    /** @return BN-Inception (Caffe): BGR pixels in 0..255 (scale 1) minus mean [104, 117, 128], std 1 */
    public static Preprocessing bnInception() {
        return BN_INCEPTION;
    }

    /** @return whether this leaves every value unchanged (the colour order is not a value change) */
    public boolean isIdentity() {
        return scale == 1f && mean.stream().allMatch(m -> m == 0f) && std.stream().allMatch(s -> s == 1f);
    }

    /** @return the number of channels this names values for: 1 (shared) or the channel count */
    public int channels() {
        return mean.size();
    }

    /**
     * The multiplier of channel {@code c} in the affine form {@code x' = x * a[c] + b[c]} the graph
     * computes, {@code a[c] = scale / std[c]}.
     */
    public float multiplier(int c) {
        return scale / std.get(c % mean.size());
    }

    /** The offset of channel {@code c} in the affine form, {@code b[c] = -mean[c] / std[c]}. */
    public float offset(int c) {
        return -mean.get(c % mean.size()) / std.get(c % mean.size());
    }

    /** @return {@link #multiplier(int)} of channels {@code 0 .. channels - 1} */
    public float[] multipliers(int channels) {
        float[] a = new float[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = multiplier(c);
        }
        return a;
    }

    /** @return {@link #offset(int)} of channels {@code 0 .. channels - 1} */
    public float[] offsets(int channels) {
        float[] b = new float[channels];
        for (int c = 0; c < channels; c++) {
            b[c] = offset(c);
        }
        return b;
    }
}
