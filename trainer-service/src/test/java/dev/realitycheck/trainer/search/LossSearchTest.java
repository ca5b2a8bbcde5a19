package dev.realitycheck.trainer.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.ExperimentSpec;
import dev.realitycheck.proto.v1.RunEvent;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.RunState;
import dev.realitycheck.proto.v1.ValidationPoint;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decisions of one loss's search as a function of the published runs and their events. */
class LossSearchTest {

    static final Timestamp NOW = Timestamp.getDefaultInstance();

    static LossSearch search(ExperimentSpec spec, int inFlight) {
        return new LossSearch("exp", spec, spec.getLosses(1), 2, inFlight);
    }

    static RunEvent event(RunSpec run, RunState state, Double mapAtR) {
        RunEvent.Builder b = RunEvent.newBuilder().setSpec(run).setState(state);
        if (mapAtR != null) {
            b.setBest(ValidationPoint.newBuilder().setMapAtR(mapAtR));
        }
        return b.build();
    }

    @Test
    void aTrialCutShortWhilePublishingGetsItsMissingFoldWithTheSameValues() {
        ExperimentSpec spec = SearchCoordinatorTest.spec(4);
        LossSearch search = search(spec, 2);
        LossSearch.Plan first = search.step(Map.of(), Map.of(), NOW);
        assertThat(first.publish()).extracting(RunSpec::getRunId).containsExactly(
                "exp.tm.trial0.fold0", "exp.tm.trial0.fold1", "exp.tm.trial1.fold0", "exp.tm.trial1.fold1");
        // only trial 1's fold 0 reached the broker before a crash
        Map<String, RunSpec> published = new HashMap<>();
        published.put("exp.tm.trial0.fold0", first.publish().get(0));
        published.put("exp.tm.trial0.fold1", first.publish().get(1));
        published.put("exp.tm.trial1.fold0", first.publish().get(2));
        LossSearch.Plan again = search(spec, 2).step(published, Map.of(), NOW);
        assertThat(again.publish()).containsExactly(first.publish().get(3));
    }

    @Test
    void aFailedTrialHasNoObjectiveButCountsAndTheBestSucceededOneIsReproduced() {
        ExperimentSpec spec = SearchCoordinatorTest.spec(2);
        LossSearch search = search(spec, 2);
        Map<String, RunSpec> published = new HashMap<>();
        search.step(Map.of(), Map.of(), NOW).publish().forEach(r -> published.put(r.getRunId(), r));
        Map<String, RunEvent> events = new HashMap<>();
        events.put("exp.tm.trial0.fold0", event(published.get("exp.tm.trial0.fold0"), RunState.RUN_STATE_SUCCEEDED, 0.2));
        events.put("exp.tm.trial0.fold1", event(published.get("exp.tm.trial0.fold1"), RunState.RUN_STATE_SUCCEEDED, 0.4));
        events.put("exp.tm.trial1.fold0", event(published.get("exp.tm.trial1.fold0"), RunState.RUN_STATE_SUCCEEDED, 0.9));
        events.put("exp.tm.trial1.fold1", event(published.get("exp.tm.trial1.fold1"), RunState.RUN_STATE_RUNNING, 0.9));
        LossSearch.Plan running = search.step(published, events, NOW);
        assertThat(running.publish()).isEmpty();
        assertThat(running.complete()).isFalse();

        events.put("exp.tm.trial1.fold1", event(published.get("exp.tm.trial1.fold1"), RunState.RUN_STATE_FAILED, null));
        LossSearch.Plan done = search.step(published, events, NOW);
        assertThat(done.complete()).isTrue();
        assertThat(done.trials().get(1).objective()).isEmpty();
        assertThat(done.best().orElseThrow().trial()).isZero();
        assertThat(done.best().orElseThrow().objective().orElseThrow()).isCloseTo(0.3, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(done.publish()).extracting(RunSpec::getRunId).containsExactly("exp.tm.fold0.seed3",
                "exp.tm.fold0.seed4", "exp.tm.fold1.seed3", "exp.tm.fold1.seed4");
        assertThat(done.publish()).allSatisfy(r -> {
            assertThat(r.hasTrial()).isFalse();
            assertThat(r.getLoss().getHyperparametersMap()).isEqualTo(done.best().get().values());
        });
        done.publish().forEach(r -> published.put(r.getRunId(), r));
        assertThat(search.step(published, events, NOW).publish()).as("nothing published twice").isEmpty();
    }
}
