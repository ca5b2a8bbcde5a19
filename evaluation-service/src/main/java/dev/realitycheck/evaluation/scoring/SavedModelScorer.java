package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.proto.v1.InputSpec;
import dev.realitycheck.data.images.ImageSubset;
import dev.realitycheck.train.images.ImageEmbedder;
import dev.realitycheck.train.images.ImageTransform;
import dev.realitycheck.train.images.InputContract;
import dev.realitycheck.train.images.Normalisation;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.ArchiveLimits;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Scores a packed checkpoint: unpacks the SavedModel, checks its {@code embed} signature against the
 * dataset, embeds the held-out images in batches and computes every metric ({@link HeldOutScorer}).
 * Every TensorFlow resource is closed before it returns.
 */
public final class SavedModelScorer implements CheckpointScorer {

    /** Finds a manifest's dataset images. */
    @FunctionalInterface
    public interface Images {
        LabeledImages of(CheckpointManifest manifest) throws IOException;
    }

    /** Opens a manifest's image dataset (an image format: CUB-200, Cars196, SOP, image folders), streamed. */
    @FunctionalInterface
    public interface ImageSets {
        /** Refuses every image dataset: the scorer evaluates IDX datasets only. */
        ImageSets NONE = m -> {
            throw new IOException("image datasets are not evaluated here (dataset '" + m.getDataset().getName() + "')");
        };

        ImageSource of(CheckpointManifest manifest) throws IOException;
    }

    /**
     * How an image dataset is streamed through a model.
     *
     * @param batchSize images per TensorFlow call, positive
     * @param workers   threads decoding and transforming ahead of the model, positive; at most
     *                  {@code 2 x workers} batches are held at once
     */
    public record ImageStreaming(int batchSize, int workers) {
        /** Validates both. */
        public ImageStreaming {
            if (batchSize <= 0 || workers <= 0) {
                throw new IllegalArgumentException("batchSize and workers must be positive, were " + batchSize + " and "
                        + workers);
            }
        }
    }

    private final Images images;
    private final HeldOutScorer heldOut;
    private final int batchSize;
    private final long batchInputBytes;
    private final MeterRegistry registry;
    private final TestEmbeddingCache testEmbeddings;
    private final ArchiveLimits archiveLimits;
    private final ImageSets imageSets;
    private final ImageStreaming streaming;

    /**
     * @param images    finds a manifest's dataset images
     * @param heldOut   scores the embeddings on the held-out classes
     * @param batchSize images per TensorFlow call
     * @param registry  where the load times are recorded
     */
    public SavedModelScorer(Images images, HeldOutScorer heldOut, int batchSize, MeterRegistry registry) {
        this(images, heldOut, batchSize, SavedModelEmbedder.DEFAULT_BATCH_INPUT_BYTES, registry, null,
                ArchiveLimits.DEFAULT, ImageSets.NONE, new ImageStreaming(64, 1));
    }

    /**
     * @param batchSize       most items per TensorFlow call (an image dataset's: {@code streaming}'s)
     * @param batchInputBytes most input bytes per TensorFlow call: a model with large inputs embeds
     *                        fewer items per call ({@link SavedModelEmbedder#load(Path, int, long)})
     * @param testEmbeddings  where each checkpoint's test embeddings are kept for concatenation; null: nowhere
     * @param archiveLimits   bounds on unpacking a checkpoint (next to its packed file, in the work dir)
     * @param imageSets       opens the image datasets
     * @param streaming       how their images are streamed through the model
     */
    SavedModelScorer(Images images, HeldOutScorer heldOut, int batchSize, long batchInputBytes, MeterRegistry registry,
                     TestEmbeddingCache testEmbeddings, ArchiveLimits archiveLimits, ImageSets imageSets,
                     ImageStreaming streaming) {
        this.batchInputBytes = batchInputBytes;
        this.imageSets = java.util.Objects.requireNonNull(imageSets, "imageSets");
        this.streaming = java.util.Objects.requireNonNull(streaming, "streaming");
        this.images = images;
        this.heldOut = heldOut;
        this.batchSize = batchSize;
        this.registry = registry;
        this.testEmbeddings = testEmbeddings;
        this.archiveLimits = java.util.Objects.requireNonNull(archiveLimits, "archiveLimits");
    }

    @Override
    public List<EvaluationResult> score(CheckpointManifest manifest, Path packedModel) throws Exception {
        return HeldOutScorer.collect(results -> score(manifest, packedModel, results));
    }

    /** Scores by the held-out scorer's schedule (test first), each result carrying its unpack time. */
    @Override
    public void score(CheckpointManifest manifest, Path packedModel, HeldOutScorer.ResultSink results) throws Exception {
        withModel(manifest, packedModel, (labels, embed, unpackNanos) ->
                heldOut.score(manifest, labels, embed, sink(manifest), withUnpack(results, unpackNanos)));
    }

    /**
     * One held-out split of a packed checkpoint, embedded exactly as {@link #score} embeds it, as
     * query = reference: the inputs a replica scores the blocks of a split evaluation against.
     */
    public dev.realitycheck.retrieval.RetrievalTask embedSplit(CheckpointManifest manifest, Path packedModel, Split which)
            throws Exception {
        dev.realitycheck.retrieval.RetrievalTask[] task = {null};
        withModel(manifest, packedModel, (labels, embed, unpackNanos) ->
                task[0] = HeldOutScorer.embedSplit(manifest, which, labels, embed));
        return task[0];
    }

    /** What is done with a loaded checkpoint: its dataset's labels and how its rows are embedded. */
    @FunctionalInterface
    private interface ModelUse {
        void use(int[] labels, HeldOutScorer.RowEmbedder embed, long unpackNanos) throws Exception;
    }

    /**
     * Unpacks and loads the checkpoint, checks it against its dataset (IDX images or a streamed image
     * dataset) and hands {@code use} the dataset's labels and the embedding of its rows; every
     * TensorFlow resource is closed when {@code use} returns.
     */
    private void withModel(CheckpointManifest manifest, Path packedModel, ModelUse use) throws Exception {
        if (InputContract.isImageDataset(manifest.getDataset().getFormat())) {
            withImageModel(manifest, packedModel, use);
            return;
        }
        LabeledImages data = images.of(manifest);
        long loadStart = System.nanoTime();
        try (UnpackedModel unpacked = SavedModelArchive.unpack(packedModel, archiveLimits);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), batchSize, batchInputBytes)) {
            long unpackNanos = System.nanoTime() - loadStart;
            if (model.inputSize() != data.pixelsPerImage()) {
                throw new IOException("checkpoint " + manifest.getCheckpointId() + " expects " + model.inputSize()
                        + " values per item (input " + model.inputShape() + "), but dataset '"
                        + manifest.getDataset().getName() + "' has " + data.pixelsPerImage() + " pixels per image");
            }
            use.use(data.labels(), rows -> new Embeddings(model.embed(HeldOutScorer.rawPixels(data, rows), rows.length),
                    rows.length, model.embeddingSize()), unpackNanos);
        }
    }

    /** Records the unpack-and-load time, and hands each result on with it ({@code EvaluationTimings.unpack}). */
    private HeldOutScorer.ResultSink withUnpack(HeldOutScorer.ResultSink results, long unpackNanos) {
        registry.timer("realitycheck.evaluation.load").record(unpackNanos, TimeUnit.NANOSECONDS);
        com.google.protobuf.Duration unpack = HeldOutScorer.duration(unpackNanos);
        return result -> results.accept(result.toBuilder()
                .setTimings(result.getTimings().toBuilder().setUnpack(unpack)).build());
    }

    private HeldOutScorer.EmbeddingSink sink(CheckpointManifest manifest) {
        return testEmbeddings == null ? HeldOutScorer.EmbeddingSink.NONE
                : (split, embeddings, labels) -> {
                    if (split == Split.SPLIT_TEST) {
                        testEmbeddings.put(manifest.getCheckpointId(), embeddings, labels);
                    }
                };
    }

    /**
     * An image dataset's held-out classes, streamed: each split's images are read (decoded cache or
     * files), transformed by the manifest's input contract ({@link InputContract}: the trainer's
     * evaluation transform) and embedded batch by batch ({@link ImageEmbedder}: the image pipeline's
     * sequential plan), so at most {@code 2 x workers} batches of decoded images exist at once.
     */
    private void withImageModel(CheckpointManifest manifest, Path packedModel, ModelUse use) throws Exception {
        ImageSource source = imageSets.of(manifest);
        int[] labels = new int[source.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = source.label(i);
        }
        long loadStart = System.nanoTime();
        try (UnpackedModel unpacked = SavedModelArchive.unpack(packedModel, archiveLimits);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), streaming.batchSize(), batchInputBytes)) {
            long unpackNanos = System.nanoTime() - loadStart;
            List<Integer> shape = model.inputShape();
            if (shape.size() != 3 || (shape.get(2) != 1 && shape.get(2) != 3)) {
                throw new IOException("checkpoint " + manifest.getCheckpointId() + " takes inputs of shape " + shape
                        + ", not images [H, W, 1] or [H, W, 3]; dataset '" + manifest.getDataset().getName()
                        + "' is an image dataset");
            }
            InputSpec contract = InputContract.withShape(manifest.getInput(), shape);
            ImageTransform transform = InputContract.transform(contract);
            Normalisation pixels = InputContract.pixels(contract);
            use.use(labels, rows -> ImageEmbedder.embed(
                    new ImageSubset(source, rows, java.util.Arrays.stream(rows).map(i -> labels[i]).toArray()),
                    transform, pixels, model.embeddingSize(), streaming.batchSize(), streaming.workers(), model::embed)
                    .embeddings(), unpackNanos);
        }
    }
}
