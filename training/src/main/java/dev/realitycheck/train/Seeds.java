package dev.realitycheck.train;

import java.util.SplittableRandom;

/**
 * Random streams addressed by position: the generator of step {@code index} of stream
 * {@code stream} is a pure function of the run's seed, so a resumed run needs to know only the
 * iteration it stopped at to draw exactly what an uninterrupted run would have drawn.
 */
public final class Seeds {

    /** Stream of {@link MPerClassSampler} batches. */
    static final long SAMPLER = 1;
    /** Stream of {@link Augmentation} draws. */
    static final long AUGMENTATION = 2;
    /** Stream of initial variable values. */
    static final long INITIAL = 3;
    /** Stream of the image pipeline's per-image transform draws ({@code dev.realitycheck.train.images}). */
    public static final long IMAGE_TRANSFORM = 4;

    private Seeds() {
    }

    /** @return a generator for one (stream, index) position of a seed */
    public static SplittableRandom random(long seed, long stream, long index) {
        return new SplittableRandom(hash(seed, stream, index));
    }

    /**
     * @return a generator for one (stream, index, position) position of a seed: e.g. the image at
     *         {@code position} of batch {@code index}, independent of which thread draws it
     */
    public static SplittableRandom random(long seed, long stream, long index, long position) {
        return new SplittableRandom(mix(hash(seed, stream, index) ^ (position * 0xD6E8FEB86659FD93L)));
    }

    private static long hash(long seed, long stream, long index) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ (stream * 0xC2B2AE3D27D4EB4FL));
        return mix(h ^ (index * 0x165667B19E3779F9L));
    }

    /** Stafford's mix13, the finaliser of {@link SplittableRandom}. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
