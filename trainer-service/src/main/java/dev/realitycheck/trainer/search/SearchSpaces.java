package dev.realitycheck.trainer.search;

import dev.realitycheck.loss.LossCatalog;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.HyperparameterRange;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.SearchSpace;
import dev.realitycheck.search.Dimension;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loss's {@link SearchSpace} as the optimiser sees it: checked ranges ({@link Dimension}s, in
 * name order so the order never depends on a map's iteration), the starting point (the loss's
 * configured value, else the catalog default, of every searched name), and the concrete
 * {@link LossConfig} of a trial (configured hyperparameters overlaid with the trial's values,
 * {@code search} cleared, as {@code RunSpec.loss} requires).
 */
public final class SearchSpaces {

    private SearchSpaces() {
    }

    /**
     * Checks a loss's search space.
     *
     * @param loss  a loss with {@code search} set
     * @param field the loss's path in the spec, e.g. {@code losses[2]}, for messages
     * @throws InvalidSpecException naming the first bad field
     */
    public static void check(LossConfig loss, String field) {
        SearchSpace search = loss.getSearch();
        if (search.getTrials() < 1) {
            throw new InvalidSpecException(field + ".search.trials", "must be > 0, got " + search.getTrials());
        }
        if (search.getRangesMap().isEmpty()) {
            throw new InvalidSpecException(field + ".search.ranges", "must name at least one hyperparameter");
        }
        String name = catalogName(loss);
        Map<String, Double> known = LossCatalog.names().contains(name) ? LossCatalog.defaults(name) : null;
        for (Map.Entry<String, HyperparameterRange> e : new TreeMap<>(search.getRangesMap()).entrySet()) {
            String rangeField = field + ".search.ranges[\"" + e.getKey() + "\"]";
            if (known != null && !known.containsKey(e.getKey())) {
                throw new InvalidSpecException(rangeField, "loss " + name + " has no hyperparameter " + e.getKey()
                        + "; it has " + new TreeMap<>(known).keySet());
            }
            try {
                dimension(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new InvalidSpecException(rangeField, ex.getMessage());
            }
        }
    }

    /** The searched dimensions, sorted by name. */
    public static List<Dimension> dimensions(SearchSpace search) {
        List<Dimension> dims = new ArrayList<>();
        new TreeMap<>(search.getRangesMap()).forEach((name, range) -> dims.add(dimension(name, range)));
        return dims;
    }

    private static Dimension dimension(String name, HyperparameterRange r) {
        return new Dimension(name, r.getMin(), r.getMax(), r.getLogScale(), r.getInteger());
    }

    /** The value of every searched name the loss would run with unsearched: configured, else the catalog default. */
    public static Map<String, Double> startingPoint(LossConfig loss) {
        String name = catalogName(loss);
        Map<String, Double> defaults = LossCatalog.names().contains(name) ? LossCatalog.defaults(name) : Map.of();
        Map<String, Double> start = new LinkedHashMap<>();
        for (String key : new TreeMap<>(loss.getSearch().getRangesMap()).keySet()) {
            Double v = loss.getHyperparametersMap().getOrDefault(key, defaults.get(key));
            if (v != null) {
                start.put(key, v);
            }
        }
        return start;
    }

    /** The loss a trial trains: configured hyperparameters overlaid with {@code values}, no search. */
    public static LossConfig trialLoss(LossConfig loss, Map<String, Double> values) {
        return loss.toBuilder().clearSearch().putAllHyperparameters(values).build();
    }

    /** The searched names' values in a trial's resolved loss. */
    public static Map<String, Double> values(SearchSpace search, LossConfig trialLoss) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : new TreeMap<>(search.getRangesMap()).keySet()) {
            Double v = trialLoss.getHyperparametersMap().get(key);
            if (v == null) {
                throw new IllegalArgumentException("trial loss " + trialLoss.getName() + " has no value for " + key);
            }
            values.put(key, v);
        }
        return values;
    }

    /**
     * Runs that check a searched loss can train at both ends of its ranges (every range at its
     * lowest value, then every range at its highest), on every fold it runs on: what
     * {@code ExperimentValidator} builds before accepting the experiment.
     */
    public static List<RunSpec> cornerRuns(String experimentId, ExperimentSpec spec, int lossIndex, int foldCount,
                                           int[] folds) {
        LossConfig loss = spec.getLosses(lossIndex);
        List<RunSpec> runs = new ArrayList<>();
        for (double end : new double[] {0, 1}) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Dimension d : dimensions(loss.getSearch())) {
                values.put(d.name(), d.fromUnit(end));
            }
            for (int fold : folds) {
                runs.add(RunSpec.newBuilder()
                        .setRunId(RunPlanner.trialRunId(experimentId, RunPlanner.label(loss), 0, fold))
                        .setExperimentId(experimentId)
                        .setDataset(spec.getDataset())
                        .setSettings(spec.getSettings())
                        .setLoss(trialLoss(loss, values))
                        .setFold(fold)
                        .setFoldCount(foldCount)
                        .setSeed(loss.getSearch().getSeed())
                        .setTrial(0)
                        .build());
            }
        }
        return runs;
    }

    /** The catalog name: {@code loss}, or {@code name} when {@code loss} is empty (as the trainer reads it). */
    static String catalogName(LossConfig loss) {
        return loss.getLoss().isEmpty() ? loss.getName() : loss.getLoss();
    }
}
