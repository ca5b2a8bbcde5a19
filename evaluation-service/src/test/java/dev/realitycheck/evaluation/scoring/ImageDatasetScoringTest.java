package dev.realitycheck.evaluation.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.realitycheck.data.images.ImageDataset;
import dev.realitycheck.data.images.ImageDatasetFixtures;
import dev.realitycheck.data.images.ImageDatasets;
import dev.realitycheck.data.images.ImageDecoder;
import dev.realitycheck.data.images.ImageSources;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.model.ArchiveLimits;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.CnnArchitecture;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.ResNetArchitecture;
import dev.realitycheck.model.ResNetVariant;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.data.split.HeldOutImages;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.train.images.EvaluationTransform;
import dev.realitycheck.train.images.InputContract;
import dev.realitycheck.train.images.Normalisation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A checkpoint of an image-folder experiment is scored on the dataset's held-out classes streamed
 * from its JPEG/PNG files through the image pipeline (batches of 3 with a remainder, 2 workers; a
 * TensorFlow call takes at most two images under {@code model-batch-input-bytes}),
 * transformed by the manifest's contract, and gives the metrics the library computes image by image
 * in process (decode, evaluation transform, raw pixels, one TensorFlow call), for the small CNN, a
 * ResNet-18 (RGB, ImageNet mean/std) and a Keras ResNet-50 (BGR, Caffe means) at 32 x 32. No
 * baseline is queued for it.
 */
class ImageDatasetScoringTest {

    private static final InputSpec CNN_INPUT = InputSpec.image(32, 32, 3, Preprocessing.imagenet());

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "resnet18", "resnet50-keras"})
    void heldOutClassesOfAnImageFolderDatasetAreStreamedAndScoredAsTheLibraryScoresThem(String network) throws Exception {
        Architecture architecture = switch (network) {
            case "cnn" -> new CnnArchitecture(CNN_INPUT, 4, 8, 8);
            case "resnet18" -> ResNetArchitecture.of(ResNetVariant.RESNET18, 32, 32, 8);
            default -> ResNetArchitecture.of(ResNetVariant.RESNET50_KERAS, 32, 32, 8);
        };
        InputSpec input = architecture.spec().input();
        Path root = ImageDatasetFixtures.imageFolders(tmp.resolve("folders"), 8, 4);
        ImageDataset dataset = ImageDatasets.read(root);
        EmbeddingNetworks.exportUntrained(architecture, 11, tmp.resolve(network));
        Path zip = tmp.resolve(network + ".zip");
        SavedModelArchive.pack(tmp.resolve(network), zip);
        CheckpointManifest manifest = CheckpointManifest.newBuilder().setCheckpointId("ck-img").setRunId("run-img")
                .setExperimentId("exp-img").setLossName("contrastive").setFold(1).setFoldCount(2).setIteration(10)
                .setSignature("embed").setFormat("savedmodel+zip")
                .setDataset(DatasetSpec.newBuilder().setName("folders").setFormat(DatasetFormat.DATASET_FORMAT_IMAGE_FOLDERS)
                        .setPath(root.toString()))
                .setInput(InputContract.toProto(input, true)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SavedModelScorer scorer = new SavedModelScorer(m -> {
            throw new IOException("an image dataset is not loaded whole");
        }, new HeldOutScorer(2, new int[] {1}, registry), 64, 2L * Float.BYTES * input.size(), registry, null,
                ArchiveLimits.DEFAULT, m -> ImageSources.open(dataset, null), new SavedModelScorer.ImageStreaming(3, 2));

        List<EvaluationResult> results = scorer.score(manifest, zip);

        ClassSplit split = ClassSplit.of(dataset.labels(), 2);
        assertThat(results).extracting(EvaluationResult::getSplit).containsExactly(Split.SPLIT_VALIDATION, Split.SPLIT_TEST);
        RetrievalReport validation = expected(dataset, zip, input, split.validationClasses(1));
        RetrievalReport test = expected(dataset, zip, input, split.testClasses());
        assertThat(results.get(0).getMetrics().getQueryCount()).isEqualTo(validation.queries()).isEqualTo(8);
        assertThat(results.get(1).getMetrics().getQueryCount()).isEqualTo(test.queries()).isEqualTo(16);
        assertThat(results.get(0).getMetrics().getMeanAveragePrecisionAtR())
                .isCloseTo(validation.get("mean_average_precision_at_r"), within(1e-6));
        assertThat(results.get(1).getMetrics().getMeanAveragePrecisionAtR())
                .isCloseTo(test.get("mean_average_precision_at_r"), within(1e-6));
        assertThat(results.get(1).getMetrics().getPrecisionAt1()).isCloseTo(test.get("precision_at_1"), within(1e-6));
        // raw pixels and an MLP on them mean nothing for photographs of any size: no baseline work
        assertThat(new Baselines(m -> {
            throw new IOException("not loaded");
        }, new HeldOutScorer(2, new int[] {1}, registry), tmp).tasksFor(manifest)).isEmpty();
    }

    /** The library's metrics for the images of {@code classes}, each decoded and transformed here, embedded at once. */
    private static RetrievalReport expected(ImageDataset dataset, Path zip, InputSpec input, int[] classes)
            throws Exception {
        int[] rows = ClassSplit.select(dataset.labels(), classes);
        float[] pixels = new float[rows.length * input.size()];
        int[] labels = new int[rows.length];
        EvaluationTransform transform = EvaluationTransform.forInput(input);
        for (int i = 0; i < rows.length; i++) {
            Normalisation.rawPixels(input).write(transform.apply(ImageDecoder.decode(dataset.file(rows[i])).image(),
                    new SplittableRandom(0)), pixels, i * input.size());
            labels[i] = dataset.labels()[rows[i]];
        }
        try (var unpacked = SavedModelArchive.unpack(zip);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), 64)) {
            Embeddings e = new Embeddings(model.embed(pixels, rows.length), rows.length, model.embeddingSize());
            return HeldOutImages.evaluator(2, RetrievalEvaluator.standardMetrics(1)).evaluate(RetrievalTask.sameSet(e, labels));
        }
    }
}
