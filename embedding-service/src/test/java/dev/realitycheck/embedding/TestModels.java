package dev.realitycheck.embedding;

import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Real (untrained) SavedModels for the tests: 4x4x1 images in, 8-dimensional embeddings out. */
final class TestModels {

    static final int SIDE = 4;
    static final int INPUT = SIDE * SIDE;
    static final int DIM = 8;
    static final List<Integer> SHAPE = List.of(SIDE, SIDE, 1);

    private TestModels() {
    }

    /** Exports an untrained MLP with this seed and packs it; returns the zip. */
    static Path packed(Path tmp, String name, long seed) throws Exception {
        return packed(tmp, name, seed, SIDE);
    }

    /** The same for side x side x 1 images (28: Fashion-MNIST's size). */
    static Path packed(Path tmp, String name, long seed, int side) throws Exception {
        Path dir = tmp.resolve(name);
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.mlp(InputSpec.image(side, side, 1, Preprocessing.pixels()),
                DIM, List.of(16)), seed, dir);
        Path zip = tmp.resolve(name + ".zip");
        SavedModelArchive.pack(dir, zip);
        return zip;
    }

    /** What the library itself computes for these inputs with the packed model. */
    static float[] expected(Path zip, float[] inputs, int count) throws Exception {
        try (var unpacked = SavedModelArchive.unpack(zip);
             SavedModelEmbedder model = SavedModelEmbedder.load(unpacked.directory(), 64)) {
            return model.embed(inputs, count);
        }
    }

    static CheckpointManifest manifest(String id, long iteration) {
        return CheckpointManifest.newBuilder().setCheckpointId(id).setRunId("run-" + id).setExperimentId("exp-e")
                .setLossName("contrastive").setIteration(iteration).setSignature("embed").setFormat("savedmodel+zip")
                .build();
    }

    static EvaluationResult validation(String checkpointId, double mapAtR) {
        return evaluation(checkpointId, Split.SPLIT_VALIDATION, mapAtR);
    }

    static EvaluationResult evaluation(String checkpointId, Split split, double mapAtR) {
        return EvaluationResult.newBuilder().setEvaluationId(checkpointId + "/" + split).setCheckpointId(checkpointId)
                .setRunId("run-" + checkpointId).setSplit(split)
                .setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(mapAtR)).build();
    }

    /** Random pixel values in [0, 255]. */
    static float[] inputs(int count, long seed) {
        Random random = new Random(seed);
        float[] v = new float[count * INPUT];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(256);
        }
        return v;
    }

    static Path tempDir() throws Exception {
        return Files.createTempDirectory("embedding-test");
    }
}
