package dev.realitycheck.trainer.search;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.LossConfig;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.search.BayesianOptimizer;
import dev.realitycheck.search.Observation;
import dev.realitycheck.trainer.runs.RunPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hyperparameter search of one loss of one experiment, as a function of what Kafka holds: the
 * runs published on {@code realitycheck.runs} and the latest {@code RunEvent} of each run. Holds
 * no state of its own, so a coordinator rebuilt from the topics after a restart decides exactly
 * what the lost one would have.
 *
 * <p>Trial {@code t} is one run per fold ({@link RunPlanner#trialRunId}), all with the trial's
 * values and the search's seed; its objective is the mean over the folds of each run's best
 * validation MAP@R ({@code RunEvent.best}). A trial with a failed or cancelled run, or an
 * undefined validation, has no objective and is left out of the surrogate (it still counts as one
 * of the {@code trials}). The values of a published trial are always read back from its
 * {@code RunSpec}, never proposed again. At most {@code maxInFlight} trials run at once; new ones
 * are proposed by the {@link BayesianOptimizer} from the finished trials (in trial order) with the
 * running ones as pending. When every trial has finished, the best one (highest objective,
 * lowest trial on ties) is reproduced: folds x the experiment's seeds, run ids as for an
 * unsearched loss, {@code trial} unset.
 */
public final class LossSearch {

    /**
     * A trial as far as it got.
     *
     * @param trial     its index
     * @param values    the searched hyperparameters' values
     * @param objective mean best validation MAP@R over the folds, when every fold succeeded with one
     * @param finished  every fold's run reached a final state
     */
    public record Trial(int trial, Map<String, Double> values, Optional<Double> objective, boolean finished) {
    }

    /**
     * What to do now.
     *
     * @param publish  runs to publish on {@code realitycheck.runs}, in order
     * @param trials   the known trials, in trial order (including those in {@code publish})
     * @param best     the best finished trial with an objective, if any
     * @param complete every trial finished: once {@code publish} (the missing reproductions, if a
     *                 trial succeeded) is published, nothing is left to do
     */
    public record Plan(List<RunSpec> publish, List<Trial> trials, Optional<Trial> best, boolean complete) {
    }

    private final String experimentId;
    private final ExperimentSpec spec;
    private final LossConfig loss;
    private final String label;
    private final int foldCount;
    private final int[] folds;
    private final int maxInFlight;
    private final BayesianOptimizer optimizer;

    /**
     * @param experimentId the experiment's id
     * @param spec         the experiment's spec
     * @param loss         the searched loss (one of the spec's, {@code search} set)
     * @param foldCount    K, resolved
     * @param maxInFlight  most trials running at once, >= 1
     */
    public LossSearch(String experimentId, ExperimentSpec spec, LossConfig loss, int foldCount, int maxInFlight) {
        if (!loss.hasSearch()) {
            throw new IllegalArgumentException("loss " + RunPlanner.label(loss) + " has no search");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        this.experimentId = Objects.requireNonNull(experimentId, "experimentId");
        this.spec = spec;
        this.loss = loss;
        this.label = RunPlanner.label(loss);
        this.foldCount = foldCount;
        this.folds = RunPlanner.folds(spec, foldCount);
        this.maxInFlight = maxInFlight;
        int trials = loss.getSearch().getTrials();
        this.optimizer = new BayesianOptimizer(SearchSpaces.dimensions(loss.getSearch()), loss.getSearch().getSeed(),
                BayesianOptimizer.Settings.defaults(trials), SearchSpaces.startingPoint(loss));
    }

    /** The loss's label in its experiment. */
    public String label() {
        return label;
    }

    /**
     * @param published every run published so far, by run id
     * @param events    the latest event of every run, by run id
     * @param now       creation time stamped on new runs
     */
    public Plan step(Map<String, RunSpec> published, Map<String, RunEvent> events, Timestamp now) {
        List<RunSpec> publish = new ArrayList<>();
        TreeMap<Integer, Trial> trials = new TreeMap<>();
        int total = loss.getSearch().getTrials();
        for (int t = 0; t < total; t++) {
            Map<String, Double> values = publishedValues(published, t);
            if (values != null) {
                for (int fold : folds) {
                    if (!published.containsKey(RunPlanner.trialRunId(experimentId, label, t, fold))) {
                        publish.add(trialRun(t, fold, values, now)); // a publication cut short
                    }
                }
                trials.put(t, trial(t, values, events));
            }
        }
        for (int t = 0; t < total; t++) {
            long running = trials.values().stream().filter(x -> !x.finished()).count();
            if (running >= maxInFlight) {
                break;
            }
            if (trials.containsKey(t)) {
                continue;
            }
            List<Observation> observed = new ArrayList<>();
            List<Map<String, Double>> pending = new ArrayList<>();
            for (Trial x : trials.values()) {
                if (x.objective().isPresent()) {
                    observed.add(new Observation(x.values(), x.objective().get()));
                } else if (!x.finished()) {
                    pending.add(x.values());
                }
            }
            Map<String, Double> values = optimizer.propose(t, observed, pending);
            for (int fold : folds) {
                publish.add(trialRun(t, fold, values, now));
            }
            trials.put(t, new Trial(t, values, Optional.empty(), false));
        }
        boolean allFinished = trials.size() == total && trials.values().stream().allMatch(Trial::finished);
        Optional<Trial> best = trials.values().stream().filter(x -> x.objective().isPresent())
                .reduce((a, b) -> b.objective().get() > a.objective().get() ? b : a);
        if (allFinished && best.isPresent()) {
            for (int fold : folds) {
                for (long seed : RunPlanner.seeds(spec)) {
                    if (!published.containsKey(RunPlanner.runId(experimentId, label, fold, seed))) {
                        publish.add(reproduction(fold, seed, best.get().values(), now));
                    }
                }
            }
        }
        return new Plan(publish, List.copyOf(trials.values()), best, allFinished);
    }

    private Map<String, Double> publishedValues(Map<String, RunSpec> published, int trial) {
        for (int fold : folds) {
            RunSpec run = published.get(RunPlanner.trialRunId(experimentId, label, trial, fold));
            if (run != null) {
                return SearchSpaces.values(loss.getSearch(), run.getLoss());
            }
        }
        return null;
    }

    private Trial trial(int t, Map<String, Double> values, Map<String, RunEvent> events) {
        boolean finished = true;
        boolean defined = true;
        double sum = 0;
        for (int fold : folds) {
            RunEvent event = events.get(RunPlanner.trialRunId(experimentId, label, t, fold));
            RunState state = event == null ? RunState.RUN_STATE_UNSPECIFIED : event.getState();
            boolean ended = state == RunState.RUN_STATE_SUCCEEDED || state == RunState.RUN_STATE_FAILED
                    || state == RunState.RUN_STATE_CANCELLED;
            finished &= ended;
            if (state == RunState.RUN_STATE_SUCCEEDED && event.hasBest() && event.getBest().hasMapAtR()
                    && Double.isFinite(event.getBest().getMapAtR())) {
                sum += event.getBest().getMapAtR();
            } else {
                defined = false;
            }
        }
        Optional<Double> objective = finished && defined ? Optional.of(sum / folds.length) : Optional.empty();
        return new Trial(t, values, objective, finished);
    }

    private RunSpec trialRun(int trial, int fold, Map<String, Double> values, Timestamp now) {
        return base(fold, now)
                .setRunId(RunPlanner.trialRunId(experimentId, label, trial, fold))
                .setLoss(SearchSpaces.trialLoss(loss, values))
                .setSeed(loss.getSearch().getSeed())
                .setTrial(trial)
                .build();
    }

    private RunSpec reproduction(int fold, long seed, Map<String, Double> values, Timestamp now) {
        return base(fold, now)
                .setRunId(RunPlanner.runId(experimentId, label, fold, seed))
                .setLoss(SearchSpaces.trialLoss(loss, values))
                .setSeed(seed)
                .build();
    }

    private RunSpec.Builder base(int fold, Timestamp now) {
        return RunSpec.newBuilder()
                .setExperimentId(experimentId)
                .setDataset(spec.getDataset())
                .setSettings(spec.getSettings())
                .setFold(fold)
                .setFoldCount(foldCount)
                .setCreatedAt(now);
    }
}
