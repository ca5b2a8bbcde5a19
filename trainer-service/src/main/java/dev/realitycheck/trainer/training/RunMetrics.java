package dev.realitycheck.trainer.training;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer gauges of the runs this pod trains, tagged with {@code run}:
 * {@code realitycheck.trainer.iteration}, {@code realitycheck.trainer.loss} and
 * {@code realitycheck.trainer.images.per.second} (Prometheus: {@code realitycheck_trainer_...}).
 */
public final class RunMetrics {

    private final MeterRegistry registry;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();

    /** @param registry where the gauges go */
    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records one iteration of a run. */
    public void record(String runId, long iteration, double loss, double imagesPerSecond) {
        double[] v = values.computeIfAbsent(runId, this::register);
        v[0] = iteration;
        v[1] = loss;
        v[2] = imagesPerSecond;
    }

    private double[] register(String runId) {
        double[] v = new double[3];
        Tags tags = Tags.of("run", runId);
        Gauge.builder("realitycheck.trainer.iteration", v, a -> a[0]).tags(tags)
                .description("iterations the run has completed").register(registry);
        Gauge.builder("realitycheck.trainer.loss", v, a -> a[1]).tags(tags)
                .description("the run's latest batch loss").register(registry);
        Gauge.builder("realitycheck.trainer.images.per.second", v, a -> a[2]).tags(tags)
                .description("training images per second of the run's latest iteration").register(registry);
        return v;
    }
}
