package dev.realitycheck.embedding.gallery;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.data.catalog.BuiltinDatasets;
import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.data.catalog.DatasetCatalog;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.split.ClassSplit;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images of a dataset split as gallery items, for {@code AddToGallery.dataset_split}. A dataset
 * is an MNIST-layout IDX directory resolved by the shared {@link DatasetCatalog}, as in the other
 * services: the configured directory for its name ({@code realitycheck.embedding.datasets."<name>"}),
 * else the spec's path, else a built-in dataset ({@link BuiltinDatasets}: {@code glyphs}, generated
 * from the installed fonts, or, for {@code fashion-mnist} (the default name), the Debian package's
 * {@code /usr/share/datasets/fashion-mnist}). Every image (train and t10k files together, as
 * {@link MnistDirectory#load(Path, MnistSplit) MnistSplit.ALL}) is loaded once and kept. The classes
 * are split with {@link ClassSplit}: {@code SPLIT_VALIDATION} takes the validation classes of
 * {@code fold}, {@code SPLIT_TEST} the test classes. Each image becomes one item with id
 * {@code "<dataset>/<index>"} (its index in the whole dataset), its class as label, and its raw
 * pixel values (0..255) as input, the same values an encoded image decodes to.
 */
public final class DatasetSplitSource {

    /** Gallery items of one split: inputs row-major, one id and label per item. */
    public record Items(float[] inputs, List<String> ids, List<Long> labels) {
    }

    /** Where the {@code realitycheck.embedding.datasets} setting lives, for error messages. */
    private static final String SETTING = "realitycheck.embedding.datasets";

    /** Where the {@code realitycheck.embedding.data-roots} setting lives, for error messages. */
    public static final String DATA_ROOTS_SETTING = "realitycheck.embedding.data-roots";

    private final DatasetCatalog catalog;

    /**
     * A source resolving dataset names with these configured directories first.
     *
     * @param configured dataset directories by name
     * @param roots      where a request's own {@code dataset.path} may lie
     */
    public DatasetSplitSource(Map<String, Path> configured, DataRoots roots) {
        this.catalog = new DatasetCatalog(configured, SETTING, roots);
    }

    /**
     * The items of a split, as inputs of the given model input shape.
     *
     * @throws io.grpc.StatusRuntimeException NOT_FOUND for an unknown dataset, INVALID_ARGUMENT for a
     *     dataset path outside the data roots, a bad split or fold or images that do not fit the shape, FAILED_PRECONDITION if it cannot be read
     */
    public Items items(dev.realitycheck.proto.v1.DatasetSplitSource source, List<Integer> inputShape, int maxItems) {
        DatasetSpec spec = source.getDataset();
        String name = DatasetCatalog.name(spec.getName());
        LabeledImages images = load(name, spec);
        int[] classes = classes(source, images);
        int[] rows = ClassSplit.select(images.labels(), classes);
        if (rows.length > maxItems) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("dataset_split has " + rows.length
                    + " images, more than a gallery's limit of " + maxItems).asRuntimeException();
        }
        int pixels = images.pixelsPerImage();
        int size = inputShape.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
        if (size != pixels || inputShape.size() != 3 || inputShape.get(0) != images.height()
                || inputShape.get(1) != images.width()) {
            throw Status.INVALID_ARGUMENT.withDescription("dataset_split: dataset '" + name + "' has "
                    + images.height() + "x" + images.width() + " grayscale images; the model expects shape "
                    + inputShape).asRuntimeException();
        }
        float[] inputs = images.rawImages(rows);
        List<String> ids = new ArrayList<>(rows.length);
        List<Long> labels = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            ids.add(name + "/" + rows[i]);
            labels.add((long) images.label(rows[i]));
        }
        return new Items(inputs, ids, labels);
    }

    private static int[] classes(dev.realitycheck.proto.v1.DatasetSplitSource source, LabeledImages images) {
        ClassSplit split;
        try {
            int[] distinct = java.util.Arrays.stream(images.labels()).distinct().sorted().toArray();
            int trainCount = source.getDataset().getSplit().getTrainClassCount();
            int train = trainCount > 0 ? trainCount : distinct.length / 2;
            if (train < 1 || train >= distinct.length) {
                throw new IllegalArgumentException("train_class_count " + train + " leaves no train or test class of "
                        + distinct.length);
            }
            int folds = source.getDataset().getSplit().getFolds();
            if (folds == 0) {
                folds = train >= 8 ? 4 : 2;
            }
            split = new ClassSplit(java.util.Arrays.copyOfRange(distinct, 0, train),
                    java.util.Arrays.copyOfRange(distinct, train, distinct.length), Math.min(folds, train));
            return switch (source.getSplit()) {
                case SPLIT_VALIDATION -> split.validationClasses(source.getFold());
                case SPLIT_TEST -> split.testClasses();
                default -> throw new IllegalArgumentException("split must be SPLIT_VALIDATION or SPLIT_TEST, got "
                        + source.getSplit());
            };
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription("dataset_split: " + e.getMessage()).asRuntimeException();
        }
    }

    /**
     * Every image of the dataset: NOT_FOUND when it resolves to nothing, FAILED_PRECONDITION when its
     * files cannot be read.
     */
    private LabeledImages load(String name, DatasetSpec spec) {
        java.util.Optional<Path> located;
        try {
            located = catalog.locate(name, spec.getPath());
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        Path dir = located.orElseThrow(() -> Status.NOT_FOUND.withDescription("dataset '"
                + name + "' not found: configure " + SETTING + ".\"" + name + "\", give dataset.path, or "
                + BuiltinDatasets.installHint(name)).asRuntimeException());
        try {
            return catalog.loadDirectory(dir);
        } catch (IOException e) {
            throw Status.FAILED_PRECONDITION.withDescription("dataset '" + name + "' at " + dir + " cannot be read: "
                    + e.getMessage()).asRuntimeException();
        }
    }
}
