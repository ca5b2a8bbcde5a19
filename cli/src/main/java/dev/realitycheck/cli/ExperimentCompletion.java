package dev.realitycheck.cli;

import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetLeaderboardRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.ListRunsResponse;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.transport.CheckpointIds;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * When {@code results --follow --experiment ID} may end: once every run of the experiment (as the
 * trainer lists it) is in a final state, the evaluations to wait for are known: each checkpoint
 * the run published ({@link DemoCommand#checkpointIds}: every checkpoint interval and its last
 * one) on the validation and the test split, as the demo waits for them; then the baselines of
 * the folds it runs, which the evaluation service scores after the trained checkpoints (its
 * leaderboard's {@code baselines_pending}, {@link #baselinesPending}). The trainer and the
 * evaluation service are asked at most every {@link #ASK_EVERY_NANOS}.
 */
final class ExperimentCompletion {

    /** How often the trainer is asked while runs are still going. */
    static final long ASK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String experiment;
    private final String trainer;
    private final String evaluation;
    private List<String> expected;
    private long askedAt;
    private boolean asked;
    private long baselinesAskedAt;
    private boolean baselinesAsked;

    ExperimentCompletion(String experiment, String trainer, String evaluation) {
        this.experiment = experiment;
        this.trainer = trainer;
        this.evaluation = evaluation;
    }

    /**
     * True when every expected evaluation id is in {@code seen}.
     *
     * @throws io.grpc.StatusRuntimeException when the trainer cannot be asked
     * @throws InputException when the trainer knows no run of the experiment
     */
    boolean done(Set<String> seen) {
        if (expected == null && (!asked || System.nanoTime() - askedAt > ASK_EVERY_NANOS)) {
            asked = true;
            askedAt = System.nanoTime();
            List<Run> runs = listRuns();
            if (runs.isEmpty()) {
                throw new InputException("the trainer at " + trainer + " knows no run of experiment " + experiment);
            }
            expected = expected(runs);
        }
        if (expected == null || !seen.containsAll(expected)
                || baselinesAsked && System.nanoTime() - baselinesAskedAt < ASK_EVERY_NANOS) {
            return false;
        }
        baselinesAsked = true;
        baselinesAskedAt = System.nanoTime();
        return baselinesPending(evaluation, experiment) == 0;
    }

    /**
     * The baseline evaluations of the experiment's folds that the evaluation service at
     * {@code evaluation} has not published yet ({@code Leaderboard.baselines_pending}).
     *
     * @throws io.grpc.StatusRuntimeException when the evaluation service cannot be asked
     */
    static int baselinesPending(String evaluation, String experiment) {
        ManagedChannel channel = EmbeddingClient.channel(evaluation);
        try {
            return EvaluationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getLeaderboard(GetLeaderboardRequest.newBuilder().setExperimentId(experiment).build())
                    .getBaselinesPending();
        } finally {
            channel.shutdownNow();
        }
    }

    /** How many checkpoints are waited for (0 before every run ended). */
    int checkpoints() {
        return expected == null ? 0 : expected.size() / 2;
    }

    /** The evaluation ids to wait for, or null while a run is not final or the trainer lists none (yet). */
    static List<String> expected(List<Run> runs) {
        if (runs.isEmpty() || !runs.stream().allMatch(r -> ExperimentFollower.isFinal(r.getState()))) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (Run run : runs) {
            String runId = run.getSpec().getRunId();
            long last = CheckpointIds.iterationOf(runId, run.getLatestCheckpointId()).orElse(0);
            for (String checkpoint : DemoCommand.checkpointIds(runId, run.getSpec().getSettings().getCheckpointInterval(), last)) {
                ids.add(checkpoint + "/validation");
                ids.add(checkpoint + "/test");
            }
        }
        return ids;
    }

    private List<Run> listRuns() {
        ManagedChannel channel = EmbeddingClient.channel(trainer);
        try {
            TrainerServiceGrpc.TrainerServiceBlockingStub stub = TrainerServiceGrpc.newBlockingStub(channel);
            List<Run> runs = new ArrayList<>();
            String token = "";
            do {
                ListRunsResponse page = stub.withDeadlineAfter(30, TimeUnit.SECONDS).listRuns(ListRunsRequest.newBuilder()
                        .setExperimentId(experiment).setPageSize(1000).setPageToken(token).build());
                runs.addAll(page.getRunsList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            return runs;
        } finally {
            channel.shutdownNow();
        }
    }
}
