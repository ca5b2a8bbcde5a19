package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.embedding.serving.ModelLease;
import dev.realitycheck.embedding.serving.ModelRegistry;
import dev.realitycheck.model.ArchiveLimits;
import dev.realitycheck.model.InvalidModelException;
import dev.realitycheck.model.ZipBombs;
import dev.realitycheck.proto.v1.Split;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Serving policies, leases and eviction with real SavedModels, without Kafka. */
class ModelRegistryTest {

    static Path a;
    static Path b;
    static Path c;

    @BeforeAll
    static void models() throws Exception {
        Path tmp = TestModels.tempDir();
        a = TestModels.packed(tmp, "a", 1);
        b = TestModels.packed(tmp, "b", 2);
        c = TestModels.packed(tmp, "c", 3);
    }

    private static ModelRegistry registry(Policy policy, String pinned, int max) {
        return new ModelRegistry(policy, pinned, max, 64, new SimpleMeterRegistry());
    }

    @Test
    void aZipBombIsRefusedByTheConfiguredRatioLeavesNothingNextToItAndAGoodCheckpointStillLoads() throws Exception {
        Path work = Files.createDirectories(TestModels.tempDir().resolve("work"));
        Path bomb = ZipBombs.zeros(64L << 20, work.resolve("bomb.part"));
        try (ModelRegistry r = new ModelRegistry(Policy.LATEST, null, 3, 64, new SimpleMeterRegistry(),
                new ArchiveLimits(100, 1L << 30, 20))) {
            assertThatThrownBy(() -> r.load(TestModels.manifest("bomb", 1), bomb))
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("expands more than 20 times");
            try (var left = Files.list(work)) {
                assertThat(left).containsExactly(bomb);
            }
            assertThat(r.served()).isEmpty();
            assertThat(r.load(TestModels.manifest("a", 1), a)).isTrue();
            assertThat(r.served().orElseThrow().checkpointId()).isEqualTo("a");
        }
    }

    @Test
    void beforeAnyModelLeasesAreFailedPreconditionAndUnknownNamesNotFound() throws Exception {
        try (ModelRegistry r = registry(Policy.LATEST, null, 3)) {
            assertCode(() -> r.lease(""), Status.Code.FAILED_PRECONDITION);
            r.load(TestModels.manifest("a", 1), a);
            assertCode(() -> r.lease("nope"), Status.Code.NOT_FOUND);
        }
    }

    @Test
    void latestServesTheLastArrivalAndVectorsEqualTheLibrarys() throws Exception {
        try (ModelRegistry r = registry(Policy.LATEST, null, 3)) {
            r.load(TestModels.manifest("a", 1), a);
            r.load(TestModels.manifest("b", 2), b);
            assertThat(r.load(TestModels.manifest("a", 1), a)).as("a known id is not loaded again").isFalse();
            float[] in = TestModels.inputs(3, 7);
            try (ModelLease lease = r.lease("")) {
                assertThat(lease.model().checkpointId()).isEqualTo("b");
                assertThat(lease.embed(in, 3)).containsExactly(TestModels.expected(b, in, 3));
            }
            try (ModelLease lease = r.lease("a")) {
                assertThat(lease.embed(in, 3)).containsExactly(TestModels.expected(a, in, 3));
            }
        }
    }

    @Test
    void bestFollowsValidationMapAtROnlyNeverTest() throws Exception {
        try (ModelRegistry r = registry(Policy.BEST, null, 3)) {
            r.load(TestModels.manifest("a", 1), a);
            r.onEvaluation(TestModels.validation("a", 0.3));
            r.load(TestModels.manifest("b", 2), b);
            assertThat(r.served().orElseThrow().checkpointId()).as("b has no validation result yet").isEqualTo("a");
            r.onEvaluation(TestModels.evaluation("b", Split.SPLIT_TEST, 0.99));
            assertThat(r.served().orElseThrow().checkpointId()).as("test numbers never decide").isEqualTo("a");
            r.onEvaluation(TestModels.validation("b", 0.5));
            assertThat(r.served().orElseThrow().checkpointId()).isEqualTo("b");
            r.onEvaluation(TestModels.validation("b", 0.1));
            assertThat(r.served().orElseThrow().checkpointId()).as("the latest validation result counts").isEqualTo("a");
            assertThat(r.latestValidation("b").orElseThrow().getMetrics().getMeanAveragePrecisionAtR()).isEqualTo(0.1);
        }
    }

    @Test
    void pinnedServesOnlyThePinnedCheckpointOnceLoaded() throws Exception {
        try (ModelRegistry r = registry(Policy.PINNED, "b", 3)) {
            r.load(TestModels.manifest("a", 1), a);
            assertThatThrownBy(() -> r.lease("")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains("'b'");
            });
            r.load(TestModels.manifest("b", 2), b);
            r.load(TestModels.manifest("c", 3), c);
            assertThat(r.served().orElseThrow().checkpointId()).isEqualTo("b");
        }
    }

    @Test
    void evictsTheLeastRecentlyServedButNeverTheServedOneAndClosesAfterTheLastLease() throws Exception {
        try (ModelRegistry r = registry(Policy.BEST, null, 2)) {
            r.load(TestModels.manifest("a", 1), a);
            r.onEvaluation(TestModels.validation("a", 0.9));
            r.load(TestModels.manifest("b", 2), b);
            ModelLease held = r.lease("b");
            r.load(TestModels.manifest("c", 3), c);
            assertThat(r.loaded()).containsExactlyInAnyOrder("a", "c");
            assertThat(held.model().isRetired()).isTrue();
            assertThat(held.model().isClosed()).as("a running request keeps its model open").isFalse();
            float[] in = TestModels.inputs(1, 3);
            assertThat(held.embed(in, 1)).containsExactly(TestModels.expected(b, in, 1));
            held.close();
            assertThat(held.model().isClosed()).isTrue();
            assertCode(() -> r.lease("b"), Status.Code.NOT_FOUND);
        }
    }

    @Test
    void underBestEvaluatedLosersAreEvictedBeforeCheckpointsAwaitingTheirResult() throws Exception {
        Path d = TestModels.packed(TestModels.tempDir(), "d", 4);
        try (ModelRegistry r = registry(Policy.BEST, null, 3)) {
            r.load(TestModels.manifest("a", 1), a);
            r.onEvaluation(TestModels.validation("a", 0.5));
            r.load(TestModels.manifest("b", 2), b);          // awaiting its result, least recently used
            r.load(TestModels.manifest("c", 3), c);
            r.onEvaluation(TestModels.validation("c", 0.3)); // lost to a
            r.lease("c").close();                            // ... but used most recently
            r.load(TestModels.manifest("d", 4), d);
            assertThat(r.loaded()).as("plain LRU would have evicted b").containsExactlyInAnyOrder("a", "b", "d");
            r.onEvaluation(TestModels.validation("b", 0.9));
            assertThat(r.served().orElseThrow().checkpointId()).isEqualTo("b");
        }
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
