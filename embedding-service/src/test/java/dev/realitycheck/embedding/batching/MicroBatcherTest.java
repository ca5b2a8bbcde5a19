package dev.realitycheck.embedding.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batching, queue limits and deadlines with a fake model (each embedding = the item's first input). */
class MicroBatcherTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** One value in, the same value out; records batch sizes; blocks while {@code gate} is closed. */
    private static MicroBatcher.Embedder echo(List<Integer> batches, CountDownLatch entered, CountDownLatch gate) {
        return (inputs, count) -> {
            batches.add(count);
            entered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Vectors.pack(inputs.toArray(), count);
        };
    }

    @Test
    void queuedRequestsForOneModelRunAsOneBatchAndEachGetsItsOwnRows() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Object model = new Object();
        try (MicroBatcher batcher = new MicroBatcher(64, TimeUnit.MILLISECONDS.toNanos(1), 1000, 1, meters)) {
            MicroBatcher.Embedder fn = echo(batches, entered, gate);
            CompletableFuture<Vectors> first = batcher.submit(model, fn, RequestInputs.of(new float[] {-1}), 1, Context.ROOT);
            entered.await(10, TimeUnit.SECONDS);
            List<CompletableFuture<Vectors>> rest = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                rest.add(batcher.submit(model, fn, RequestInputs.of(new float[] {i, i + 0.5f}), 2, Context.ROOT));
            }
            gate.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).toFloats()).containsExactly(-1f);
            for (int i = 0; i < 10; i++) {
                assertThat(rest.get(i).get(10, TimeUnit.SECONDS).toFloats()).containsExactly(i, i + 0.5f);
            }
            assertThat(batches).containsExactly(1, 20);
        }
    }

    @Test
    void aFullBatchRunsAtOnceWithoutWaitingForTheLinger() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch open = new CountDownLatch(0);
        // a linger far longer than the wait below: only a batch that skips it can complete in time
        try (MicroBatcher batcher = new MicroBatcher(4, TimeUnit.SECONDS.toNanos(60), 100, 1, meters)) {
            MicroBatcher.Embedder fn = echo(batches, new CountDownLatch(1), open);
            CompletableFuture<Vectors> full = batcher.submit(new Object(), fn, RequestInputs.of(new float[] {1, 2, 3, 4}), 4, Context.ROOT);
            assertThat(full.get(10, TimeUnit.SECONDS).toFloats()).containsExactly(1, 2, 3, 4);
            assertThat(batches).containsExactly(4);
        }
    }

    @Test
    void requestsForDifferentModelsNeverShareABatch() throws Exception {
        List<Integer> batchesA = new CopyOnWriteArrayList<>();
        List<Integer> batchesB = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Object a = new Object();
        Object b = new Object();
        try (MicroBatcher batcher = new MicroBatcher(64, TimeUnit.MILLISECONDS.toNanos(1), 1000, 1, meters)) {
            MicroBatcher.Embedder fa = echo(batchesA, entered, gate);
            MicroBatcher.Embedder fb = echo(batchesB, new CountDownLatch(0), new CountDownLatch(0));
            CompletableFuture<Vectors> blocker = batcher.submit(a, fa, RequestInputs.of(new float[] {0}), 1, Context.ROOT);
            entered.await(10, TimeUnit.SECONDS);
            List<CompletableFuture<Vectors>> all = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                all.add(batcher.submit(i % 2 == 0 ? a : b, i % 2 == 0 ? fa : fb, RequestInputs.of(new float[] {i}), 1, Context.ROOT));
            }
            gate.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 6; i++) {
                assertThat(all.get(i).get(10, TimeUnit.SECONDS).toFloats()).containsExactly(i);
            }
            assertThat(batchesA.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
            assertThat(batchesB.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        }
    }

    @Test
    void aFullQueueAnswersResourceExhaustedAtOnce() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Object model = new Object();
        try (MicroBatcher batcher = new MicroBatcher(1, 0, 4, 1, meters)) {
            MicroBatcher.Embedder fn = echo(new CopyOnWriteArrayList<>(), entered, gate);
            CompletableFuture<Vectors> running = batcher.submit(model, fn, RequestInputs.of(new float[1]), 1, Context.ROOT);
            entered.await(10, TimeUnit.SECONDS);
            CompletableFuture<Vectors> queued = batcher.submit(model, fn, RequestInputs.of(new float[3]), 3, Context.ROOT);
            assertThat(batcher.queuedItems()).isEqualTo(3);
            CompletableFuture<Vectors> refused = batcher.submit(model, fn, RequestInputs.of(new float[2]), 2, Context.ROOT);
            assertStatus(refused, Status.Code.RESOURCE_EXHAUSTED);
            gate.countDown();
            running.get(10, TimeUnit.SECONDS);
            queued.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void expiredWorkIsNotRun() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Object model = new Object();
        try (MicroBatcher batcher = new MicroBatcher(1, 0, 100, 1, meters)) {
            MicroBatcher.Embedder fn = echo(batches, entered, gate);
            CompletableFuture<Vectors> running = batcher.submit(model, fn, RequestInputs.of(new float[] {1}), 1, Context.ROOT);
            entered.await(10, TimeUnit.SECONDS);
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                Context.CancellableContext expiring = Context.ROOT.withDeadline(
                        Deadline.after(1, TimeUnit.MILLISECONDS), timer);
                CompletableFuture<Vectors> late = batcher.submit(model, fn, RequestInputs.of(new float[] {2}), 1, expiring);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(expiring::isCancelled);
                gate.countDown();
                running.get(10, TimeUnit.SECONDS);
                assertStatus(late, Status.Code.DEADLINE_EXCEEDED);
                assertThat(batches).containsExactly(1);
            } finally {
                timer.shutdownNow();
            }
        }
    }

    @Test
    void aDeadlineFromTheGrpcTimeoutHeaderIsHonouredToo() throws Exception {
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Object model = new Object();
        try (MicroBatcher batcher = new MicroBatcher(1, 0, 100, 1, meters)) {
            MicroBatcher.Embedder fn = echo(batches, entered, gate);
            CompletableFuture<Vectors> running = batcher.submit(model, fn, RequestInputs.of(new float[] {1}), 1, Context.ROOT);
            entered.await(10, TimeUnit.SECONDS);
            Deadline deadline = RequestDeadlines.parse("1m");
            CompletableFuture<Vectors> late = batcher.submit(model, fn, RequestInputs.of(new float[] {2}), 1,
                    Context.ROOT.withValue(RequestDeadlines.KEY, deadline));
            CompletableFuture<Vectors> patient = batcher.submit(model, fn, RequestInputs.of(new float[] {3}), 1,
                    Context.ROOT.withValue(RequestDeadlines.KEY, RequestDeadlines.parse("30S")));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(deadline::isExpired);
            gate.countDown();
            running.get(10, TimeUnit.SECONDS);
            assertStatus(late, Status.Code.DEADLINE_EXCEEDED);
            assertThat(patient.get(10, TimeUnit.SECONDS).toFloats()).containsExactly(3f);
            assertThat(batches).containsExactly(1, 1);
        }
    }

    @Test
    void grpcTimeoutHeadersParse() {
        assertThat(RequestDeadlines.parse("30S").timeRemaining(TimeUnit.SECONDS)).isBetween(28L, 30L);
        assertThat(RequestDeadlines.parse("2H").timeRemaining(TimeUnit.MINUTES)).isBetween(118L, 120L);
        assertThat(RequestDeadlines.parse("x")).isNull();
        assertThat(RequestDeadlines.parse("12")).isNull();
        assertThat(RequestDeadlines.parse("5q")).isNull();
    }

    private static void assertStatus(CompletableFuture<Vectors> future, Status.Code code) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }
}
