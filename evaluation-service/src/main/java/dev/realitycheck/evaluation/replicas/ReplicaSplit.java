package dev.realitycheck.evaluation.replicas;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.EvaluationIds;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The service's side of one evaluation split across its replicas ({@code realitycheck.evaluation.replicas.*},
 * see {@link EvaluationConfig.Replicas}): when {@code split-above} is positive,
 * {@link dev.realitycheck.evaluation.consume.EvaluationLifecycle} starts this replica's
 * {@link BlockWorker} (its inputs from {@link CheckpointInputs}) and its {@link BlockOwner}, and the
 * held-out scorer offers every split to {@link #evaluate}: a trained checkpoint's split with more
 * queries than {@code split-above} is published as blocks and its combined report awaited (at most
 * {@code timeout}), its embedding lent meanwhile to this replica's worker ({@link OwnedInputs}, so the
 * owning replica embeds it once); any other split, a baseline's, or everything while off, is scored in
 * this process.
 */
@ApplicationScoped
public class ReplicaSplit implements HeldOutScorer.Elsewhere {

    private static final Logger LOG = Logger.getLogger(ReplicaSplit.class);

    @Inject
    EvaluationConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "127.0.0.1:9092")
    String bootstrapServers;

    private volatile BlockOwner owner;
    private volatile BlockWorker worker;
    private volatile OwnedInputs inputs;

    /** True when {@code split-above} is positive; refuses a negative one, a block size or timeout below 1. */
    public boolean on() {
        EvaluationConfig.Replicas r = config.replicas();
        if (r.splitAbove() < 0 || r.blockSize() < 1 || !positive(r.timeout()) || !positive(r.checkpointReadTimeout())) {
            throw new IllegalArgumentException("realitycheck.evaluation.replicas: split-above must be >= 0, block-size"
                    + " >= 1, timeout and checkpoint-read-timeout positive, were " + r.splitAbove() + ", "
                    + r.blockSize() + ", " + r.timeout() + " and " + r.checkpointReadTimeout());
        }
        return r.splitAbove() > 0;
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /**
     * Starts this replica's worker and owner.
     *
     * @param scorer    embeds a split as the single-process path does (the worker's inputs)
     * @param evaluator the single-process path's evaluator
     * @param name      this replica's name (client ids, the worker named in its partials)
     */
    public void start(SavedModelScorer scorer, RetrievalEvaluator evaluator, String name) {
        EvaluationConfig.Replicas r = config.replicas();
        owner = new BlockOwner(new BlockOwner.Settings(bootstrapServers, name, config.topicPartitions(),
                config.topicReplication()), evaluator);
        inputs = new OwnedInputs(new CheckpointInputs(new CheckpointInputs.Settings(bootstrapServers,
                config.resolvedWorkDir(), config.maxCheckpointBytes(), r.checkpointReadTimeout(),
                config.signing().verifier("evaluation")), scorer));
        worker = new BlockWorker(new BlockWorker.Settings(bootstrapServers, r.consumerGroup(), name,
                config.topicPartitions(), config.topicReplication()), evaluator, inputs, BlockWorker.BeforePublish.NONE);
        owner.start();
        worker.start();
        LOG.infof("splits of more than %,d queries are scored across the replicas in blocks of %,d (replica %s)",
                r.splitAbove(), r.blockSize(), name);
    }

    /** This replica's worker, null while off. */
    public BlockWorker worker() {
        return worker;
    }

    /** This replica's worker's inputs (the splits its owner lends, the others read), null while off. */
    public OwnedInputs inputs() {
        return inputs;
    }

    @Override
    public RetrievalReport evaluate(CheckpointManifest manifest, Split which, RetrievalTask task) throws Exception {
        BlockOwner o = owner;
        int queries = task.queries().rows();
        if (o == null || queries <= config.replicas().splitAbove() || Baselines.isBaselineRun(manifest.getRunId())) {
            return null;
        }
        // this replica's worker scores its blocks against the split just embedded here, not a second embedding
        inputs.lend(manifest.getCheckpointId(), which, task);
        try {
            CompletableFuture<RetrievalReport> report = o.submit(new BlockOwner.Request(
                    EvaluationIds.of(manifest.getCheckpointId(), which), manifest.getCheckpointId(), which,
                    task.queryLabels(), task.referenceLabels(), task.mode(), config.replicas().blockSize()));
            Duration timeout = config.replicas().timeout();
            try {
                return report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                report.cancel(true);
                throw new TimeoutException("the blocks of " + EvaluationIds.of(manifest.getCheckpointId(), which)
                        + " did not all come back within " + timeout);
            }
        } finally {
            inputs.release(manifest.getCheckpointId(), which, task);
        }
    }

    /** Stops the worker (a block in progress goes to another replica) and the owner (pending splits fail). */
    public void stop() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (owner != null) {
            owner.close();
        }
    }
}
