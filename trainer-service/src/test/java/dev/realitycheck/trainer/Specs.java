package dev.realitycheck.trainer;

import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.SplitSpec;
import dev.realitycheck.proto.v1.TrainingSettings;

/** Small valid experiment specs over the tiny dataset (10 classes of 8x8: train half 0-4, 2 folds). */
final class Specs {

    static final int SIDE = 8;

    private Specs() {
    }

    /** One contrastive loss, fold 0 (trains on classes 2-4), seed 0: tiny MLP, batch 8 = 2 classes x 4. */
    static ExperimentSpec.Builder tiny(String dataset, long iterations, long checkpointInterval) {
        return ExperimentSpec.newBuilder().setName("tiny")
                .setDataset(DatasetSpec.newBuilder().setName(dataset).setFormat(DatasetFormat.DATASET_FORMAT_IDX)
                        .setSplit(SplitSpec.newBuilder().setFolds(2).addRunFolds(0)))
                .setSettings(TrainingSettings.newBuilder().setTrunk("mlp").putExtra("mlp_hidden", 16).setEmbeddingSize(8)
                        .setBatchSize(8).setMPerClass(4).setIterations(iterations)
                        .setCheckpointInterval(checkpointInterval))
                .addLosses(LossConfig.newBuilder().setName("contrastive"))
                .addSeeds(0);
    }
}
