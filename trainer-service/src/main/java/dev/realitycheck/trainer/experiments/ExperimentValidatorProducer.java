package dev.realitycheck.trainer.experiments;

import dev.realitycheck.trainer.TrainerConfig;
import dev.realitycheck.trainer.training.RunDatasets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the {@link ExperimentValidator} into CDI, over the service's {@link RunDatasets} and its configured {@link ExperimentLimits}. */
@ApplicationScoped
public class ExperimentValidatorProducer {

    @Produces
    @Singleton
    ExperimentValidator validator(RunDatasets datasets, TrainerConfig config) {
        TrainerConfig.Limits l = config.limits();
        return new ExperimentValidator(datasets, new ExperimentLimits(l.maxRuns(), l.maxSeeds(), l.maxIterations(),
                l.maxEmbeddingSize(), l.maxHiddenSize(), l.maxBatchSize(), l.maxFolds(), l.maxTrials()));
    }
}
