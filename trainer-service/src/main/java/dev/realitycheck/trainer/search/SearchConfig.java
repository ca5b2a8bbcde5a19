package dev.realitycheck.trainer.search;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the hyperparameter-search coordinator, under {@code realitycheck.search}. */
@ConfigMapping(prefix = "realitycheck.search")
public interface SearchConfig {

    /**
     * Take part in coordinating searches. The coordinator runs only in pods that also consume runs
     * ({@code realitycheck.trainer.consume-runs}), and only one of them coordinates at a time.
     */
    @WithDefault("true")
    boolean enabled();

    /** Consumer group whose single assignee of {@code realitycheck.experiments} is the coordinator. */
    @WithDefault("trainer-search")
    String consumerGroup();

    /** Most trials of one loss's search that run at once (each trial is one run per fold). */
    @WithDefault("4")
    int trialsInFlight();

    /** Longest wait for new records in one poll; also the coordinator's reaction time. */
    @WithDefault("PT0.5S")
    Duration pollTimeout();

    /** Longest time a new coordinator may take to read the runs and run-events topics to their end. */
    @WithDefault("PT2M")
    Duration catchUpTimeout();

    /** Longest wait for the broker to acknowledge published trials and reproductions. */
    @WithDefault("PT30S")
    Duration publishTimeout();
}
