package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.data.LabeledImages;
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

    private final Images images;
    private final HeldOutScorer heldOut;
    private final int batchSize;
    private final MeterRegistry registry;
    private final TestEmbeddingCache testEmbeddings;
    private final ArchiveLimits archiveLimits;

    /**
     * @param images    finds a manifest's dataset images
     * @param heldOut   scores the embeddings on the held-out classes
     * @param batchSize images per TensorFlow call
     * @param registry  where the load times are recorded
     */
    public SavedModelScorer(Images images, HeldOutScorer heldOut, int batchSize, MeterRegistry registry) {
        this(images, heldOut, batchSize, registry, null, ArchiveLimits.DEFAULT);
    }

    /**
     * @param testEmbeddings where each checkpoint's test embeddings are kept for concatenation; null: nowhere
     * @param archiveLimits  bounds on unpacking a checkpoint (next to its packed file, in the work dir)
     */
    SavedModelScorer(Images images, HeldOutScorer heldOut, int batchSize, MeterRegistry registry,
                     TestEmbeddingCache testEmbeddings, ArchiveLimits archiveLimits) {
        this.images = images;
        this.heldOut = heldOut;
        this.batchSize = batchSize;
        this.registry = registry;
        this.testEmbeddings = testEmbeddings;
        this.archiveLimits = java.util.Objects.requireNonNull(archiveLimits, "archiveLimits");
    }

    @Override
    public List<EvaluationResult> score(CheckpointManifest manifest, Path packedModel) throws Exception {
        LabeledImages data = images.of(manifest);
        long loadStart = System.nanoTime();
        try (UnpackedModel unpacked = SavedModelArchive.unpack(packedModel, archiveLimits);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), batchSize)) {
            registry.timer("realitycheck.evaluation.load").record(System.nanoTime() - loadStart, TimeUnit.NANOSECONDS);
            if (model.inputSize() != data.pixelsPerImage()) {
                throw new IOException("checkpoint " + manifest.getCheckpointId() + " expects " + model.inputSize()
                        + " values per item (input " + model.inputShape() + "), but dataset '"
                        + manifest.getDataset().getName() + "' has " + data.pixelsPerImage() + " pixels per image");
            }
            HeldOutScorer.EmbeddingSink sink = testEmbeddings == null ? HeldOutScorer.EmbeddingSink.NONE
                    : (split, embeddings, labels) -> {
                        if (split == Split.SPLIT_TEST) {
                            testEmbeddings.put(manifest.getCheckpointId(), embeddings, labels);
                        }
                    };
            return heldOut.score(manifest, data, (pixels, count, perImage) ->
                    new Embeddings(model.embed(pixels, count), count, model.embeddingSize()), sink);
        }
    }
}
