package dev.realitycheck.data.images;

/** Small images with known pixels for resampling tests (datasets and training). */
public final class TestImages {

    private TestImages() {
    }

    /** @return an image of the given size, every pixel its (row, column, channel) pattern */
    public static RgbImage pattern(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * width + x) * 3 + c] = (byte) (y * 16 + x * 3 + c * 50);
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
