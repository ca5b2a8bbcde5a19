package dev.realitycheck.trainer.experiments;

import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.trainer.runs.SpecLimitException;

/**
 * Upper bounds on what one experiment may ask for, checked on the spec alone (before its dataset
 * is read or anything is planned): a few hundred bytes of spec must not buy unbounded work.
 * Settings under {@code realitycheck.trainer.limits} ({@code TrainerConfig.Limits}).
 *
 * @param maxRuns          runs of one experiment: per loss, folds x seeds, plus folds x trials for a searched loss
 * @param maxSeeds         seeds, or {@code reproductions}
 * @param maxIterations    {@code settings.iterations}
 * @param maxEmbeddingSize {@code settings.embedding_size}
 * @param maxHiddenSize    the MLP's hidden width, {@code settings.extra["mlp_hidden"]}
 * @param maxBatchSize     {@code settings.batch_size}
 * @param maxFolds         {@code dataset.split.folds}
 * @param maxTrials        {@code losses[i].search.trials}
 */
public record ExperimentLimits(int maxRuns, int maxSeeds, long maxIterations, int maxEmbeddingSize,
        int maxHiddenSize, int maxBatchSize, int maxFolds, int maxTrials) {

    /** Prefix of the settings, for the messages. */
    public static final String PREFIX = "realitycheck.trainer.limits.";

    /**
     * The defaults of {@code TrainerConfig.Limits} (the trainer-service's tests check they agree):
     * every spec in {@code specs/} and the demo fits.
     */
    public static final ExperimentLimits DEFAULTS = new ExperimentLimits(4096, 100, 1_000_000, 4096, 8192, 1024, 10, 200);

    /** Folds an experiment runs when its spec names none (the most {@link RunPlanner#foldCount} picks). */
    private static final int UNKNOWN_CLASSES = Integer.MAX_VALUE;

    /** Checks every limit is positive. */
    public ExperimentLimits {
        long[] all = {maxRuns, maxSeeds, maxIterations, maxEmbeddingSize, maxHiddenSize, maxBatchSize, maxFolds, maxTrials};
        for (long limit : all) {
            if (limit < 1) {
                throw new IllegalArgumentException("every experiment limit must be >= 1, got " + java.util.Arrays.toString(all));
            }
        }
    }

    /**
     * @param spec the spec, possibly malformed otherwise (other checks report that)
     * @throws SpecLimitException naming the first field over its limit
     */
    public void check(ExperimentSpec spec) {
        var s = spec.getSettings();
        over("settings.iterations", s.getIterations(), maxIterations, "max-iterations");
        over("settings.embedding_size", s.getEmbeddingSize(), maxEmbeddingSize, "max-embedding-size");
        over("settings.batch_size", s.getBatchSize(), maxBatchSize, "max-batch-size");
        double hidden = s.getExtraOrDefault("mlp_hidden", 0);
        if (hidden > maxHiddenSize) {
            over("settings.extra[\"mlp_hidden\"]", (long) Math.min(hidden, Long.MAX_VALUE), maxHiddenSize, "max-hidden-size");
        }
        over("dataset.split.folds", spec.getDataset().getSplit().getFolds(), maxFolds, "max-folds");
        over("dataset.split.run_folds", spec.getDataset().getSplit().getRunFoldsCount(), maxFolds, "max-folds");
        if (spec.getSeedsCount() > 0) {
            over("seeds", spec.getSeedsCount(), maxSeeds, "max-seeds");
        } else {
            over("reproductions", spec.getReproductions(), maxSeeds, "max-seeds");
        }
        long folds = spec.getDataset().getSplit().getRunFoldsCount() > 0 ? spec.getDataset().getSplit().getRunFoldsCount()
                : RunPlanner.foldCount(spec, UNKNOWN_CLASSES);
        long seeds = RunPlanner.seeds(spec).length;
        long runs = 0;
        for (int i = 0; i < spec.getLossesCount(); i++) {
            LossConfig loss = spec.getLosses(i);
            runs += folds * seeds;
            if (loss.hasSearch()) {
                over("losses[" + i + "].search.trials", loss.getSearch().getTrials(), maxTrials, "max-trials");
                runs += folds * loss.getSearch().getTrials();
            }
        }
        over("runs (losses x folds x (seeds + search trials))", runs, maxRuns, "max-runs");
    }

    private static void over(String field, long value, long limit, String setting) {
        if (value > limit) {
            throw new SpecLimitException(field, value, limit, PREFIX + setting);
        }
    }
}
