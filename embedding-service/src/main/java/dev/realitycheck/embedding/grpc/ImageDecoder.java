package dev.realitycheck.embedding.grpc;

import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.proto.v1.EncodedImage;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.train.images.InputContract;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a PNG or JPEG item of any size into the raw pixel values a checkpoint model takes (0..255,
 * row-major {@code [H, W, C]}; the model's graph applies its own scaling and normalisation) exactly
 * as the evaluation service turns a dataset's image: the library's decoder
 * ({@link dev.realitycheck.data.images.ImageDecoder}, 8-bit RGB), then the manifest's input contract
 * ({@link InputContract#transform}: shorter side resized and centre crop, or a direct resize;
 * {@link InputContract#pixels}: colour order, luma for one channel). Failures are INVALID_ARGUMENT
 * naming the item.
 */
public final class ImageDecoder {

    private static final SplittableRandom UNUSED = new SplittableRandom(0);

    private ImageDecoder() {
    }

    /**
     * @param image  the encoded image
     * @param name   the item's field name, e.g. {@code items[3]}
     * @param shape  the model's input shape
     * @param input  the manifest's input contract (may be the default instance)
     * @param out    where the values go
     * @param offset first index in {@code out}
     */
    static void decode(EncodedImage image, String name, List<Integer> shape, InputSpec input, float[] out, int offset) {
        if (shape.size() != 3 || (shape.get(2) != 1 && shape.get(2) != 3)) {
            throw ItemInputs.invalid(name + ".image: the model takes inputs of shape " + shape
                    + ", not images of shape [H, W, 1] or [H, W, 3]; send a tensor");
        }
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
        RgbImage decoded;
        try {
            decoded = dev.realitycheck.data.images.ImageDecoder.decode(image.getData().toByteArray(), name + ".image")
                    .image();
        } catch (IOException | RuntimeException e) {
            throw ItemInputs.invalid(name + ".image could not be decoded as PNG or JPEG: " + e.getMessage());
        }
        InputSpec contract = InputContract.withShape(input, shape);
        InputContract.pixels(contract).write(InputContract.transform(contract).apply(decoded, UNUSED), out, offset);
    }
}
