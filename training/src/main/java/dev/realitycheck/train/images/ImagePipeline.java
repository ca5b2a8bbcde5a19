package dev.realitycheck.train.images;

import dev.realitycheck.data.images.ImageSource;
import dev.realitycheck.data.images.RgbImage;
import dev.realitycheck.train.Seeds;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns an {@link ImageSource} into batches ready for a model: {@code workers} threads each build
 * whole batches of a {@link BatchPlan} (read, {@link ImageTransform}, {@link Normalisation}) ahead
 * of the consumer, at most {@code prefetch} batches being built or waiting at any time (bounded
 * memory), and {@link #next()} hands them out in plan order.
 *
 * <p>Deterministic whatever the number of workers: the image at position {@code k} of batch
 * {@code i} is transformed with its own stream {@code Seeds.random(seed, IMAGE_TRANSFORM, i, k)},
 * never a shared generator, so the same seed gives bit-identical batches with 1 or 8 workers, and
 * a run resumed at batch {@code i} sees what an uninterrupted one would have.
 *
 * <p>A failure (an unreadable file, a decoder's error) reaches the consumer: {@link #next()} throws
 * an {@link IOException} naming the batch, the image index and the source's message (which names
 * the file), and the pipeline stops. {@link #close()} stops the workers and waits for them.
 */
public final class ImagePipeline implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ImageSource source;
    private final BatchPlan plan;
    private final ImageTransform transform;
    private final Normalisation normalisation;
    private final long seed;
    private final ExecutorService workers;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Semaphore slots;
    private final AtomicLong claimed;
    private final Map<Long, Object> done = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private volatile boolean closed;
    private long next;

    /**
     * Starts the workers.
     *
     * @param source        the images
     * @param plan          which images form each batch
     * @param transform     applied to every image; its size is the items' size
     * @param normalisation how pixels become values; its channels are the items' channels
     * @param seed          the seed of the transforms' draws
     * @param firstBatch    the first batch to deliver (a resumed run's iteration), {@code 0 <= firstBatch}
     * @param workers       threads building batches, positive
     * @param prefetch      batches built ahead at most, at least {@code workers}
     */
    public ImagePipeline(ImageSource source, BatchPlan plan, ImageTransform transform, Normalisation normalisation,
                         long seed, long firstBatch, int workers, int prefetch) {
        this.source = Objects.requireNonNull(source, "source");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.transform = Objects.requireNonNull(transform, "transform");
        this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
        if (firstBatch < 0) {
            throw new IllegalArgumentException("firstBatch must not be negative, was " + firstBatch);
        }
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be positive, was " + workers);
        }
        if (prefetch < workers) {
            throw new IllegalArgumentException("prefetch (" + prefetch + ") must be at least workers (" + workers + ")");
        }
        this.seed = seed;
        this.next = firstBatch;
        this.claimed = new AtomicLong(firstBatch);
        this.slots = new Semaphore(prefetch);
        int pool = POOLS.incrementAndGet();
        AtomicInteger thread = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "image-pipeline-" + pool + "-" + thread.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        for (int w = 0; w < workers; w++) {
            this.workers.execute(this::work);
        }
    }

    /** @return whether the plan has a batch after those delivered */
    public boolean hasNext() {
        return next < plan.batches();
    }

    /**
     * Waits for the next batch of the plan.
     *
     * @return the batch
     * @throws IOException            if an image of it could not be read or transformed; the pipeline is closed then
     * @throws InterruptedException   if the caller is interrupted while waiting
     * @throws NoSuchElementException if the plan is exhausted
     * @throws IllegalStateException  if the pipeline is closed
     */
    public ImageBatch next() throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("the image pipeline is closed");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("the plan's " + plan.batches() + " batches are delivered");
        }
        Object result;
        lock.lock();
        try {
            while ((result = done.remove(next)) == null) {
                if (closed) {
                    throw new IllegalStateException("the image pipeline is closed");
                }
                arrived.await();
            }
        } finally {
            lock.unlock();
        }
        next++;
        slots.release();
        if (result instanceof ImageBatch batch) {
            return batch;
        }
        close();
        if (result instanceof Error error) {
            throw error;
        }
        Exception failure = (Exception) result;
        throw new IOException(failure.getMessage(), failure);
    }

    private void work() {
        try {
            while (!closed) {
                slots.acquire();
                long index = claimed.getAndIncrement();
                if (index >= plan.batches() || closed) {
                    slots.release();
                    return;
                }
                Object result;
                try {
                    result = build(index);
                } catch (IOException | RuntimeException | Error e) {
                    result = e;
                }
                lock.lock();
                try {
                    done.put(index, result);
                    arrived.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds batch {@code index} on the calling thread. */
    ImageBatch build(long index) throws IOException {
        int[] ids = plan.batch(index);
        int h = transform.height();
        int w = transform.width();
        int c = normalisation.channels();
        int itemSize = h * w * c;
        float[] values = new float[ids.length * itemSize];
        int[] labels = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            try {
                RgbImage image = source.read(ids[k]);
                labels[k] = source.label(ids[k]);
                SplittableRandom random = Seeds.random(seed, Seeds.IMAGE_TRANSFORM, index, k);
                RgbImage out = transform.apply(image, random);
                if (out.width() != w || out.height() != h) {
                    throw new IllegalStateException("the transform gave " + out.width() + " x " + out.height()
                            + ", not " + w + " x " + h);
                }
                normalisation.write(out, values, k * itemSize);
            } catch (IOException | RuntimeException e) {
                throw new IOException("batch " + index + ", image " + ids[k] + ": " + e.getMessage(), e);
            }
        }
        return new ImageBatch(index, ids, labels, values, h, w, c);
    }

    /**
     * Stops the workers (interrupting them) and waits up to ten seconds for every worker thread to
     * end.
     *
     * @throws IllegalStateException if a worker is still running after ten seconds
     */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (Thread t : threads) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (t.isAlive()) {
                    throw new IllegalStateException("image pipeline worker " + t.getName() + " did not stop within 10 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done.clear();
    }
}
