package dev.realitycheck.train.images;

import dev.realitycheck.data.images.Bilinear;
import dev.realitycheck.data.images.CropBox;
import dev.realitycheck.data.images.ImageLayout;
import dev.realitycheck.data.images.ResizeShorterSide;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.model.ColourOrder;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.proto.v1.ColorOrder;
import dev.realitycheck.proto.v1.Crop;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.Resampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The one mapping between a checkpoint manifest's input contract ({@code proto} {@code InputSpec})
 * and the library: the model's {@link InputSpec} with its {@link Preprocessing}, the evaluation
 * {@link ImageTransform} and the {@link Normalisation} a consumer feeds the model with. The trainer
 * writes the contract with {@link #toProto}; the evaluation and embedding services read it with
 * {@link #model}, {@link #transform} and {@link #pixels}, so every consumer of a checkpoint
 * preprocesses an image exactly as the trainer's evaluation transform does.
 */
public final class InputContract {

    private InputContract() {
    }

    /**
     * @param format a dataset's format
     * @return its image layout (image folders, CUB-200, Cars196, SOP: read through {@code ImageSources}),
     *         or empty for IDX files
     */
    public static Optional<ImageLayout> imageLayout(DatasetFormat format) {
        return Optional.ofNullable(switch (format) {
            case DATASET_FORMAT_IMAGE_FOLDERS -> ImageLayout.IMAGE_FOLDERS;
            case DATASET_FORMAT_CUB200 -> ImageLayout.CUB200;
            case DATASET_FORMAT_CARS196 -> ImageLayout.CARS196;
            case DATASET_FORMAT_SOP -> ImageLayout.SOP;
            default -> null;
        });
    }

    /** @return whether {@code format} is an image layout ({@link #imageLayout} is present) */
    public static boolean isImageDataset(DatasetFormat format) {
        return imageLayout(format).isPresent();
    }

    /**
     * @param input          the exported model's input
     * @param imageDataset   whether the model was trained on an image dataset ({@link #isImageDataset}):
     *                       then its images take the evaluation transform ({@link EvaluationTransform#forInput}:
     *                       shorter side resized, centre crop); otherwise they are resized directly
     * @return the manifest's contract
     */
    public static dev.realitycheck.proto.v1.InputSpec toProto(InputSpec input, boolean imageDataset) {
        dev.realitycheck.proto.v1.InputSpec.Builder b = dev.realitycheck.proto.v1.InputSpec.newBuilder();
        input.shape().forEach(d -> b.addShape(d));
        Preprocessing p = input.preprocessing();
        b.setScale(p.scale());
        p.mean().forEach(m -> b.addMean(m));
        p.std().forEach(s -> b.addStd(s));
        if (input.isImage()) {
            b.setColorMode(input.channels() == 3 ? "rgb" : "grayscale")
                    .setColorOrder(p.colourOrder() == ColourOrder.BGR ? ColorOrder.COLOR_ORDER_BGR : ColorOrder.COLOR_ORDER_RGB)
                    .setResampling(Resampling.RESAMPLING_PILLOW_BILINEAR);
            if (imageDataset) {
                EvaluationTransform t = EvaluationTransform.forInput(input);
                b.setResizeShorterSide(t.resize().size()).setCrop(Crop.CROP_CENTER);
            } else {
                b.setCrop(Crop.CROP_NONE);
            }
        }
        return b.build();
    }

    /**
     * @param contract a manifest's contract (may lack the shape, as a hand-written manifest may)
     * @param shape    the loaded model's own input shape, which wins
     * @return the contract with that shape
     */
    public static dev.realitycheck.proto.v1.InputSpec withShape(dev.realitycheck.proto.v1.InputSpec contract,
                                                                List<Integer> shape) {
        dev.realitycheck.proto.v1.InputSpec.Builder b = contract.toBuilder().clearShape();
        shape.forEach(d -> b.addShape(d));
        return b.build();
    }

    /**
     * @param contract a manifest's contract; an unset scale is 1, unset mean/std are 0/1
     * @return the model's input and preprocessing
     * @throws IllegalArgumentException if the contract is not a valid input (the message says why)
     */
    public static InputSpec model(dev.realitycheck.proto.v1.InputSpec contract) {
        List<Integer> shape = new ArrayList<>(contract.getShapeCount());
        for (long d : contract.getShapeList()) {
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input shape " + contract.getShapeList() + " has a dimension out of range");
            }
            shape.add((int) d);
        }
        List<Float> mean = new ArrayList<>();
        List<Float> std = new ArrayList<>();
        contract.getMeanList().forEach(m -> mean.add(m.floatValue()));
        contract.getStdList().forEach(s -> std.add(s.floatValue()));
        if (mean.isEmpty() && std.isEmpty()) {
            mean.add(0f);
            std.add(1f);
        }
        float scale = contract.getScale() == 0 ? 1f : (float) contract.getScale();
        ColourOrder order = contract.getColorOrder() == ColorOrder.COLOR_ORDER_BGR ? ColourOrder.BGR : ColourOrder.RGB;
        return new InputSpec(shape, new Preprocessing(scale, mean, std, order));
    }

    /**
     * @param contract a manifest's contract of an image input {@code [H, W, C]}
     * @return what turns a decoded image of any size into the input's {@code W x H}: the evaluation
     *         transform (resize shorter side to {@code resize_shorter_side}, centre crop) for
     *         {@code CROP_CENTER} (or an unset crop with a resize, as manifests before the field meant),
     *         else a direct resize ({@link Bilinear} either way)
     */
    public static ImageTransform transform(dev.realitycheck.proto.v1.InputSpec contract) {
        InputSpec input = model(contract);
        if (!input.isImage()) {
            throw new IllegalArgumentException("the model's input is not an image: " + input.shape());
        }
        int h = input.shape().get(0);
        int w = input.shape().get(1);
        boolean centre = contract.getCrop() == Crop.CROP_CENTER
                || contract.getCrop() == Crop.CROP_UNSPECIFIED && contract.getResizeShorterSide() > 0;
        if (centre) {
            if (contract.getResizeShorterSide() <= 0) {
                throw new IllegalArgumentException("a centre crop needs resize_shorter_side > 0, was "
                        + contract.getResizeShorterSide());
            }
            return new EvaluationTransform(new ResizeShorterSide(contract.getResizeShorterSide()), w, h);
        }
        return new DirectResize(w, h);
    }

    /**
     * @param contract a manifest's contract of an image input
     * @return how a transformed image becomes the model's values: raw pixels (0..255) in the
     *         contract's colour order, since the exported graph applies scale, mean and std itself
     */
    public static Normalisation pixels(dev.realitycheck.proto.v1.InputSpec contract) {
        return Normalisation.rawPixels(model(contract));
    }

    /**
     * Resizes an image to {@code width x height} whatever its aspect ratio (unchanged if it has that size).
     *
     * @param width  columns of the result, positive
     * @param height rows of the result, positive
     */
    record DirectResize(int width, int height) implements ImageTransform {

        /** Validates the size. */
        DirectResize {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("size must be positive, was " + width + " x " + height);
            }
        }

        @Override
        public RgbImage apply(RgbImage image, SplittableRandom random) {
            if (image.width() == width && image.height() == height) {
                return image;
            }
            return Bilinear.resize(image, CropBox.whole(image.width(), image.height()), width, height);
        }
    }
}
