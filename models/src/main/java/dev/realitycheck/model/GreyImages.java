package dev.realitycheck.model;

/**
 * Grey-scale images fed to a network that takes several channels: each grey value repeated per
 * channel, as an image decoder turns a grey image into RGB. Until the colour datasets arrive, this
 * is how the grey datasets train and validate RGB trunks ({@link ResNetArchitecture},
 * {@link BnInceptionArchitecture}) and feature extractors ({@link SavedModelFeatures}).
 */
public final class GreyImages {

    private GreyImages() {
    }

    /**
     * @param grey     values of {@code [N, H, W]} (or {@code [N, H, W, 1]}) images, row-major
     * @param channels the channels wanted, at least 1
     * @return the {@code [N, H, W, channels]} values, each grey value {@code channels} times
     *         ({@code grey} itself for 1)
     */
    public static float[] toChannels(float[] grey, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be at least 1, was " + channels);
        }
        if (channels == 1) {
            return grey;
        }
        float[] out = new float[grey.length * channels];
        for (int i = 0; i < grey.length; i++) {
            java.util.Arrays.fill(out, i * channels, (i + 1) * channels, grey[i]);
        }
        return out;
    }
}
