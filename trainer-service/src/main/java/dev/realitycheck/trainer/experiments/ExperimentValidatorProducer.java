package dev.realitycheck.trainer.experiments;

import dev.realitycheck.trainer.training.RunDatasets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Wires the {@link ExperimentValidator} into CDI, over the service's {@link RunDatasets}. */
@ApplicationScoped
public class ExperimentValidatorProducer {

    @Produces
    @Singleton
    ExperimentValidator validator(RunDatasets datasets) {
        return new ExperimentValidator(datasets);
    }
}
