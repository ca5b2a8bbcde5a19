package dev.realitycheck.embedding.batching;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;

/**
 * Batches concurrent embedding requests server-side into one TensorFlow call per batch, so one batch
 * (and one response) never mixes two models.
 *
 * <p>Batching is greedy: a worker takes the oldest queued request and, without waiting, every request
 * queued behind it <em>for the same model</em> up to {@code maxBatchSize} items, then runs them. Under
 * load requests queue while the previous batch runs, so batches grow with concurrency without adding
 * latency when the service is idle. With {@code maxWait > 0} a batch that is not full also waits up to
 * {@code maxWait} for more requests (only worth it when TensorFlow, not the RPC layer, is the bottleneck
 * at low concurrency: the wait is spent whatever the load). Each request's inputs are written once,
 * straight from the request into the batch's input tensor ({@link Inputs#writeTo}, {@link RequestInputs}); the
 * batch's output is packed once, and each request completes with a view of its rows ({@link Vectors#rows}).
 *
 * <p>The queue holds at most {@code queueCapacity} items; a request that does not fit fails at once with
 * RESOURCE_EXHAUSTED. A request whose gRPC context is cancelled or past its deadline when a worker takes
 * it is not run (DEADLINE_EXCEEDED or CANCELLED). Reports the queue depth, batch sizes and queue wait.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    /** What a batch runs: one model's embedding function. */
    @FunctionalInterface
    public interface Embedder {
        /** @return the {@code count} embeddings of the {@code count} items in {@code inputs}, in their order */
        Vectors embed(Inputs inputs, int count);
    }

    /**
     * The inputs of one batch: the requests' inputs, in batch order.
     *
     * @param parts  one entry per request, in batch order
     * @param length the total number of values
     */
    public record Inputs(List<RequestInputs> parts, int length) {

        /** Checks the parts and the length. */
        public Inputs {
            parts = List.copyOf(parts);
            long total = 0; // a loop, not a stream: this runs once per batch on the batcher thread
            for (RequestInputs p : parts) {
                total += p.length();
            }
            if (length != total) {
                throw new IllegalArgumentException("length " + length + " is not the parts' total length");
            }
        }

        /**
         * Writes every request's inputs into {@code target} (e.g. a TensorFlow input tensor), each straight
         * from its request ({@link RequestInputs#writeTo}) into its slice.
         */
        public void writeTo(FloatDataBuffer target) {
            long at = 0;
            for (RequestInputs p : parts) {
                p.writeTo(at == 0 ? target : target.offset(at));
                at += p.length();
            }
        }

        /** @return all values in one array (the only part's own array when it has one) */
        public float[] toArray() {
            if (parts.size() == 1) {
                return parts.get(0).toArray();
            }
            float[] all = new float[length];
            writeTo(org.tensorflow.ndarray.buffer.DataBuffers.of(all, false, false));
            return all;
        }
    }

    private record Job(Object model, Embedder embedder, RequestInputs inputs, int count, Context context,
                       CompletableFuture<Vectors> result, long queuedNanos) {
    }

    private final int maxBatchSize;
    private final long maxWaitNanos;
    private final int queueCapacity;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedItems = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    private final DistributionSummary batchSizes;
    private final Timer queueWait;
    private volatile boolean running = true;

    /**
     * @param maxBatchSize  most items per TensorFlow call
     * @param maxWaitNanos  how long a batch that is not full waits for more requests (0: greedy, no wait)
     * @param queueCapacity most queued items
     * @param workers       threads running batches
     * @param meters        where queue depth, batch sizes and queue wait are reported
     */
    public MicroBatcher(int maxBatchSize, long maxWaitNanos, int queueCapacity, int workers, MeterRegistry meters) {
        if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1 || maxWaitNanos < 0) {
            throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be >= 1 and maxWait >= 0");
        }
        this.maxBatchSize = maxBatchSize;
        this.maxWaitNanos = maxWaitNanos;
        this.queueCapacity = queueCapacity;
        Gauge.builder("realitycheck.embedding.queue.depth", queuedItems, AtomicInteger::get)
                .description("items waiting for a batch").register(meters);
        batchSizes = DistributionSummary.builder("realitycheck.embedding.batch.size")
                .description("items per TensorFlow call").publishPercentiles(0.5, 0.99).register(meters);
        queueWait = Timer.builder("realitycheck.embedding.queue.wait")
                .description("time from queueing to the start of the batch").publishPercentiles(0.5, 0.99)
                .register(meters);
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "embedding-batcher-" + i);
            t.setDaemon(true);
            t.start();
            this.workers.add(t);
        }
    }

    /**
     * Queues {@code count} items for {@code model}.
     *
     * @param model    identity of the model (requests batch together only with the same one)
     * @param embedder the model's embedding function
     * @param context  the request's gRPC context (deadline, cancellation)
     * @return the embeddings, or a failure carrying a gRPC status
     */
    public CompletableFuture<Vectors> submit(Object model, Embedder embedder, RequestInputs inputs, int count,
                                             Context context) {
        CompletableFuture<Vectors> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(Status.UNAVAILABLE.withDescription("the service is stopping").asRuntimeException());
            return result;
        }
        int queued;
        do {
            queued = queuedItems.get();
            if (queued + count > queueCapacity) {
                result.completeExceptionally(Status.RESOURCE_EXHAUSTED.withDescription("the embedding queue is full: "
                        + queued + " items wait, " + count + " more do not fit in its capacity of " + queueCapacity
                        + "; retry with backoff").asRuntimeException());
                return result;
            }
        } while (!queuedItems.compareAndSet(queued, queued + count));
        queue.add(new Job(model, embedder, inputs, count, context, result, System.nanoTime()));
        return result;
    }

    /** @return items waiting for a batch */
    public int queuedItems() {
        return queuedItems.get();
    }

    private void work() {
        Job carry = null;
        while (running) {
            try {
                Job first = carry != null ? carry : queue.poll(100, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null || !take(first)) {
                    continue;
                }
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                int items = first.count();
                long until = maxWaitNanos > 0 ? System.nanoTime() + maxWaitNanos : 0;
                while (items < maxBatchSize) {
                    Job next = queue.poll();
                    if (next == null && maxWaitNanos > 0) {
                        long left = until - System.nanoTime();
                        next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                    }
                    if (next == null) {
                        break;
                    }
                    if (next.model() != first.model() || items + next.count() > maxBatchSize) {
                        carry = next;
                        break;
                    }
                    if (take(next)) {
                        batch.add(next);
                        items += next.count();
                    }
                }
                run(batch, items);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (carry != null) {
            take(carry);
            carry.result().completeExceptionally(Status.UNAVAILABLE.withDescription("the service is stopping").asRuntimeException());
        }
    }

    /** Dequeues a job: false (and the job failed) if its caller gave up or its deadline passed. */
    private boolean take(Job job) {
        queuedItems.addAndGet(-job.count());
        queueWait.record(System.nanoTime() - job.queuedNanos(), TimeUnit.NANOSECONDS);
        Deadline deadline = RequestDeadlines.of(job.context());
        if (deadline != null && deadline.isExpired()) {
            job.result().completeExceptionally(Status.DEADLINE_EXCEEDED
                    .withDescription("the request's deadline passed while it waited in the embedding queue")
                    .asRuntimeException());
            return false;
        }
        if (job.context().isCancelled()) {
            job.result().completeExceptionally(Status.CANCELLED
                    .withDescription("the client cancelled the request while it waited in the embedding queue")
                    .asRuntimeException());
            return false;
        }
        return true;
    }

    private void run(List<Job> batch, int items) {
        batchSizes.record(items);
        try {
            List<RequestInputs> parts = new ArrayList<>(batch.size());
            int length = 0;
            for (Job j : batch) {
                parts.add(j.inputs());
                length += j.inputs().length();
            }
            Vectors out = batch.get(0).embedder().embed(new Inputs(parts, length), items);
            if (batch.size() == 1) {
                batch.get(0).result().complete(out);
                return;
            }
            // each request gets a view of its rows of the batch's one output array: no copy per request
            int at = 0;
            for (Job j : batch) {
                j.result().complete(out.rows(at, j.count()));
                at += j.count();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "a batch of %d items failed", items);
            for (Job j : batch) {
                j.result().completeExceptionally(Status.INTERNAL.withDescription("embedding failed: " + e)
                        .withCause(e).asRuntimeException());
            }
        }
    }

    /** Stops the workers; queued requests fail with UNAVAILABLE. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        Job job;
        while ((job = queue.poll()) != null) {
            job.result().completeExceptionally(Status.UNAVAILABLE.withDescription("the service is stopping").asRuntimeException());
        }
    }
}
