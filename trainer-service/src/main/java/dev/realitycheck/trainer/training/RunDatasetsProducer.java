package dev.realitycheck.trainer.training;

import dev.realitycheck.data.catalog.DataRoots;
import dev.realitycheck.trainer.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Wires {@link RunDatasets} into CDI, with the directories of {@code realitycheck.trainer.datasets}. */
@ApplicationScoped
public class RunDatasetsProducer {

    @Inject
    TrainerConfig config;

    @Produces
    @Singleton
    RunDatasets datasets() {
        return new RunDatasets(config.datasets(), new DataRoots(config.dataRoots(), RunDatasets.DATA_ROOTS_SETTING));
    }
}
