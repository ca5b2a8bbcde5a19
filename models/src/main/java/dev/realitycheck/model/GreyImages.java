package dev.realitycheck.model;

/**
 * Grey-scale images fed to an RGB network: each grey value repeated as red, green and blue, as an
 * image decoder turns a grey image into RGB. Until the colour datasets arrive, this is how the
 * grey datasets train and validate RGB trunks ({@link ResNetArchitecture}).
 */
public final class GreyImages {

    private GreyImages() {
    }

    /**
     * @param grey values of {@code [N, H, W]} (or {@code [N, H, W, 1]}) images, row-major
     * @return the {@code [N, H, W, 3]} values, each grey value three times
     */
    public static float[] toRgb(float[] grey) {
        float[] rgb = new float[grey.length * 3];
        for (int i = 0; i < grey.length; i++) {
            rgb[3 * i] = grey[i];
            rgb[3 * i + 1] = grey[i];
            rgb[3 * i + 2] = grey[i];
        }
        return rgb;
    }
}
