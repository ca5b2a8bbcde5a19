package dev.realitycheck.evaluation.consume;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.EngineWarmUp;
import dev.realitycheck.evaluation.replicas.ReplicaSplit;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.security.Signing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the {@link EvaluationLoop} when the service starts (if {@code realitycheck.evaluation.consume-checkpoints}
 * is on) and closes it when the service stops; the loop is configured by {@link EvaluationConfig}. With
 * {@code realitycheck.evaluation.replicas.split-above} positive it first starts this replica's share of
 * splits scored across the replicas ({@link ReplicaSplit}: a block worker and an owner).
 */
@ApplicationScoped
public class EvaluationLifecycle {

    private static final Logger LOG = Logger.getLogger(EvaluationLifecycle.class);

    @Inject
    EvaluationConfig config;

    @Inject
    SavedModelScorer scorer;

    @Inject
    HeldOutScorer heldOut;

    @Inject
    ReplicaSplit replicas;

    @Inject
    Baselines baselines;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private volatile EvaluationLoop loop;

    void start(@Observes StartupEvent event) {
        // it verifies checkpoints and results, and signs its results: every signing key has a use here
        config.signing().requireSides("evaluation", Signing.Side.SIGNS, Signing.Side.VERIFIES);
        if (config.warmUp()) {
            Thread.ofPlatform().name("engine-warm-up").daemon().start(this::warmUp);
        }
        if (!config.consumeCheckpoints()) {
            LOG.info("checkpoint consumption is off (realitycheck.evaluation.consume-checkpoints=false)");
            return;
        }
        if (replicas.on()) {
            replicas.start(scorer, heldOut.evaluator(), "replica-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        }
        loop = new EvaluationLoop(new EvaluationLoop.Settings(bootstrapServers, config.consumerGroup(),
                config.resolvedWorkDir(), config.maxCheckpointBytes(), config.stallTimeout(), config.topicPartitions(),
                config.topicReplication(), config.signing().verifier("evaluation"), config.signing().signer("evaluation")), scorer,
                config.baselines() ? EvaluationLoop.BaselineSource.of(baselines) : EvaluationLoop.BaselineSource.NONE, registry);
        loop.start();
    }

    /**
     * Runs the engine's warm-up (off the start-up's critical path), logging and timing it; it stops once the
     * loop {@link EvaluationLoop#isWorking is working} on a checkpoint. A failure is only logged.
     */
    private void warmUp() {
        try {
            EngineWarmUp.Outcome outcome = EngineWarmUp.run(heldOut.evaluator(), () -> {
                EvaluationLoop l = loop;
                return l != null && l.isWorking();
            });
            registry.timer("realitycheck.evaluation.warm-up").record(outcome.nanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (outcome.complete()) {
                LOG.infof("kNN engine warmed up in %.2f s (%s kernel, %d threads)", outcome.nanos() / 1e9,
                        dev.realitycheck.knn.DotKernel.best().description(), config.resolvedKnnThreads());
            } else {
                LOG.infof("kNN engine warm-up stopped after %.2f s: a checkpoint is being scored", outcome.nanos() / 1e9);
            }
        } catch (RuntimeException e) {
            LOG.warnf("kNN engine warm-up failed (the first evaluation runs cold): %s", e);
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
        replicas.stop();
    }
}
