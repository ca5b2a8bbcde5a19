package dev.realitycheck.evaluation.concatenation;

import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.transport.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.jboss.logging.Logger;

/**
 * Keeps every (loss config, seed)'s concatenated test evaluation up to date: watches the
 * {@link EvaluationStore} for validation results; when every fold of a {@link ConcatenationGroup}
 * has a chosen checkpoint and the choice differs from the one last published, computes the
 * concatenation ({@link FoldConcatenator}) on one worker thread and publishes it on
 * {@code realitycheck.evaluations} (key = its run id, so a newer choice replaces the older in order).
 * Test results never trigger or steer anything here: only validation results are consulted. A plain
 * class (no CDI); {@link ConcatenationLifecycle} runs it in the service.
 */
final class ConcatenationUpdater implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConcatenationUpdater.class);

    private final EvaluationStore store;
    private final FoldConcatenator concatenator;
    private final String bootstrapServers;
    private final boolean includeTrials;
    private final MeterRegistry registry;
    private final Set<ConcatenationGroup> pending = new LinkedHashSet<>();
    /** Source checkpoint ids last published (or seen published) per group. */
    private final Map<ConcatenationGroup, List<String>> published = new ConcurrentHashMap<>();
    private ExecutorService worker;
    private Producer<String, byte[]> producer;
    private Cancellable subscription;
    private final dev.realitycheck.transport.RecordSignatures.Signer signer;

    /**
     * @param store            the results watched
     * @param concatenator     computes one group's concatenation
     * @param bootstrapServers Kafka bootstrap servers of the producer
     * @param includeTrials    also concatenate the folds of hyperparameter-search trials
     * @param registry         where the concatenations are counted
     * @param signer           signs the results published (null: unsigned)
     */
    ConcatenationUpdater(EvaluationStore store, FoldConcatenator concatenator, String bootstrapServers,
                         boolean includeTrials, MeterRegistry registry, dev.realitycheck.transport.RecordSignatures.Signer signer) {
        this.signer = signer;
        this.store = store;
        this.concatenator = concatenator;
        this.bootstrapServers = bootstrapServers;
        this.includeTrials = includeTrials;
        this.registry = registry;
    }

    /** Starts the worker thread and the producer, then watches the store (its known results first). */
    void start() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fold-concatenation");
            t.setDaemon(true);
            return t;
        });
        producer = new KafkaProducer<>(KafkaSettings.producer(bootstrapServers, "evaluation-concatenations"));
        subscription = store.watch(r -> !r.getBaseline(), true).subscribe().with(this::arrived);
    }

    /** Stops watching, abandons queued work (waits up to 30 s for the one in progress) and closes the producer. */
    @Override
    public void close() throws InterruptedException {
        if (subscription != null) {
            subscription.cancel();
        }
        if (worker != null) {
            worker.shutdownNow();
            worker.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }

    private void arrived(EvaluationResult r) {
        if (r.getConcatenated()) {
            published.put(new ConcatenationGroup(r.getExperimentId(), r.getLossName(), r.getSeed(),
                    r.hasTrial() ? java.util.OptionalInt.of(r.getTrial()) : java.util.OptionalInt.empty()),
                    List.copyOf(r.getSourceCheckpointIdsList()));
            return;
        }
        if (r.getSplit() != Split.SPLIT_VALIDATION || r.getExperimentId().isEmpty() || r.getLossName().isEmpty()
                || (r.hasTrial() && !includeTrials)) {
            return;
        }
        ConcatenationGroup group = ConcatenationGroup.of(r);
        synchronized (pending) {
            if (!pending.add(group)) {
                return; // already queued: one recomputation sees this result too
            }
        }
        worker.execute(() -> reconsider(group));
    }

    private void reconsider(ConcatenationGroup group) {
        synchronized (pending) {
            pending.remove(group);
        }
        List<EvaluationResult> validation = store.list(r -> group.contains(r) && r.getSplit() == Split.SPLIT_VALIDATION);
        int folds = validation.stream().mapToInt(EvaluationResult::getFoldCount).max().orElse(0);
        if (folds < 1) {
            return;
        }
        Optional<List<EvaluationResult>> chosen = FoldConcatenator.chosenPerFold(validation, folds);
        if (chosen.isEmpty()) {
            return;
        }
        List<String> ids = chosen.get().stream().map(EvaluationResult::getCheckpointId).toList();
        if (ids.equals(published.get(group))) {
            return;
        }
        try {
            EvaluationResult result = concatenator.concatenate(group, chosen.get());
            producer.send(dev.realitycheck.evaluation.results.ResultRecords.of(result, signer))
                    .get(60, TimeUnit.SECONDS);
            published.put(group, ids);
            registry.counter("realitycheck.evaluation.concatenations").increment();
            LOG.infof("concatenated evaluation %s of %s: MAP@R %.4f", result.getEvaluationId(), ids,
                    result.getMetrics().getMeanAveragePrecisionAtR());
        } catch (FoldConcatenator.NotReady e) {
            LOG.debugf("concatenation of %s waits: %s", group.runId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("concatenation of %s failed: %s", group.runId(), e.toString());
        }
    }
}
