package dev.realitycheck.evaluation.results;

import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Split;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every evaluation this service has seen on {@code realitycheck.evaluations}, by evaluation id,
 * in arrival order. A record seen again (re-delivery, replay after a restart) replaces the old one
 * in place: one row per (checkpoint, split), never duplicates.
 */
@ApplicationScoped
public class EvaluationStore {

    private final Map<String, EvaluationResult> byId = new LinkedHashMap<>();
    private final BroadcastProcessor<EvaluationResult> arrivals = BroadcastProcessor.create();

    /** Adds or replaces a result and notifies watchers. */
    public void add(EvaluationResult result) {
        synchronized (byId) {
            byId.put(result.getEvaluationId(), result);
        }
        arrivals.onNext(result);
    }

    public Optional<EvaluationResult> get(String evaluationId) {
        synchronized (byId) {
            return Optional.ofNullable(byId.get(evaluationId));
        }
    }

    /** Every result matching {@code filter}, oldest first. */
    public List<EvaluationResult> list(Predicate<EvaluationResult> filter) {
        synchronized (byId) {
            return byId.values().stream().filter(filter).toList();
        }
    }

    public int size() {
        synchronized (byId) {
            return byId.size();
        }
    }

    /**
     * Results as they arrive, filtered; with {@code includeExisting} the known ones first (a result
     * arriving while the snapshot is taken may be delivered twice, never lost).
     */
    public Multi<EvaluationResult> watch(Predicate<EvaluationResult> filter, boolean includeExisting) {
        Multi<EvaluationResult> live = arrivals.filter(filter::test);
        if (!includeExisting) {
            return live;
        }
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().deferred(() -> Multi.createFrom().iterable(new ArrayList<>(list(filter)))), live);
    }

    /** Filter matching the RPCs' optional fields (empty strings and SPLIT_UNSPECIFIED match all). */
    public static Predicate<EvaluationResult> filter(String experimentId, String runId, String checkpointId, String lossName,
                                              Split split) {
        return r -> (experimentId.isEmpty() || r.getExperimentId().equals(experimentId))
                && (runId.isEmpty() || r.getRunId().equals(runId))
                && (checkpointId.isEmpty() || r.getCheckpointId().equals(checkpointId))
                && (lossName.isEmpty() || r.getLossName().equals(lossName))
                && (split == Split.SPLIT_UNSPECIFIED || r.getSplit() == split);
    }
}
