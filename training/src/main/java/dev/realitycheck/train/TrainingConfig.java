package dev.realitycheck.train;

import dev.realitycheck.loss.Loss;
import dev.realitycheck.loss.miner.Miner;
import dev.realitycheck.model.Architecture;
import dev.realitycheck.model.BatchNormMode;
import dev.realitycheck.model.Initialization;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of one training run.
 *
 * @param architecture       the network
 * @param loss               the loss
 * @param miner              the miner whose tuples the loss uses, or {@code null} for all tuples
 * @param trunkOptimizer     trains the trunk's variables (BatchNorm moving statistics excepted, and
 *                           gamma and beta when {@code freezeBatchNorm})
 * @param embedderOptimizer  trains the embedder's variables (the linear layer to the embedding,
 *                           {@link dev.realitycheck.model.Architecture#isEmbedderVariable})
 * @param lossOptimizer      trains the loss's own parameters (proxies, class weights)
 * @param batchSize          samples per batch; a positive multiple of {@code m}
 * @param m                  samples per class per batch; positive
 * @param augmentation       applied to image batches; must be {@link Augmentation#none()} for vector inputs
 * @param iterations         how many updates the run makes; positive
 * @param checkpointInterval a checkpoint every this many iterations (and after the last); positive
 * @param seed               seeds the initial values, the sampler and the augmentation
 * @param checkpoints        where checkpoints go, {@code iteration-<8 digits>/model} and {@code .../state.bin}
 * @param threads            the session's thread pools
 * @param freezeBatchNorm    the named setting {@code freeze_batch_norm}: BatchNorm layers stay in
 *                           their inference form with frozen statistics, gamma and beta
 *                           ({@link BatchNormMode#FROZEN}, the paper's setting) instead of training
 *                           ({@link BatchNormMode#TRAINING}); no effect on networks without BatchNorm
 * @param initialization     the named setting {@code initialization}: how the network's new layers
 *                           and the loss's parameters are initialised ({@link Initialization#GLOROT},
 *                           today's, or {@link Initialization#PYTORCH}, PyTorch's and PML's)
 * @param updates            learning-rate warm-up and gradient clipping of every update
 *                           ({@link UpdateSettings#NONE}: neither)
 */
public record TrainingConfig(Architecture architecture, Loss loss, Miner miner, Optimizer trunkOptimizer,
                             Optimizer embedderOptimizer, Optimizer lossOptimizer, int batchSize, int m, Augmentation augmentation,
                             int iterations, int checkpointInterval, long seed, Path checkpoints,
                             SessionThreads threads, boolean freezeBatchNorm, Initialization initialization,
                             UpdateSettings updates) {

    /** Validates the settings, naming the bad one. */
    public TrainingConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(updates, "updates");
        Objects.requireNonNull(initialization, "initialization");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(trunkOptimizer, "trunkOptimizer");
        Objects.requireNonNull(embedderOptimizer, "embedderOptimizer");
        Objects.requireNonNull(lossOptimizer, "lossOptimizer");
        Objects.requireNonNull(augmentation, "augmentation");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Objects.requireNonNull(threads, "threads");
        if (m <= 0) {
            throw new IllegalArgumentException("m must be positive, was " + m);
        }
        if (batchSize <= 0 || batchSize % m != 0) {
            throw new IllegalArgumentException("batchSize must be a positive multiple of m (" + m + "), was "
                    + batchSize);
        }
        if (iterations <= 0) {
            throw new IllegalArgumentException("iterations must be positive, was " + iterations);
        }
        if (checkpointInterval <= 0) {
            throw new IllegalArgumentException("checkpointInterval must be positive, was " + checkpointInterval);
        }
        if (!architecture.spec().input().isImage() && !augmentation.isNone()) {
            throw new IllegalArgumentException("augmentation must be none for a vector input, was " + augmentation);
        }
    }

    /** The settings without warm-up or clipping ({@link UpdateSettings#NONE}). */
    public TrainingConfig(Architecture architecture, Loss loss, Miner miner, Optimizer trunkOptimizer,
                          Optimizer embedderOptimizer, Optimizer lossOptimizer, int batchSize, int m,
                          Augmentation augmentation, int iterations, int checkpointInterval, long seed,
                          Path checkpoints, SessionThreads threads, boolean freezeBatchNorm,
                          Initialization initialization) {
        this(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize, m, augmentation,
                iterations, checkpointInterval, seed, checkpoints, threads, freezeBatchNorm, initialization,
                UpdateSettings.NONE);
    }

    /** The settings with today's {@link Initialization#GLOROT} initialisation. */
    public TrainingConfig(Architecture architecture, Loss loss, Miner miner, Optimizer trunkOptimizer,
                          Optimizer embedderOptimizer, Optimizer lossOptimizer, int batchSize, int m,
                          Augmentation augmentation, int iterations, int checkpointInterval, long seed,
                          Path checkpoints, SessionThreads threads, boolean freezeBatchNorm) {
        this(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize, m, augmentation,
                iterations, checkpointInterval, seed, checkpoints, threads, freezeBatchNorm, Initialization.GLOROT);
    }

    /** The settings with BatchNorm training ({@code freezeBatchNorm = false}). */
    public TrainingConfig(Architecture architecture, Loss loss, Miner miner, Optimizer trunkOptimizer,
                          Optimizer embedderOptimizer, Optimizer lossOptimizer, int batchSize, int m,
                          Augmentation augmentation, int iterations, int checkpointInterval, long seed,
                          Path checkpoints, SessionThreads threads) {
        this(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize, m, augmentation,
                iterations, checkpointInterval, seed, checkpoints, threads, false, Initialization.GLOROT);
    }

    /** The settings with one optimizer for the whole network (trunk and embedder) and BatchNorm training. */
    public TrainingConfig(Architecture architecture, Loss loss, Miner miner, Optimizer networkOptimizer,
                          Optimizer lossOptimizer, int batchSize, int m, Augmentation augmentation, int iterations,
                          int checkpointInterval, long seed, Path checkpoints, SessionThreads threads) {
        this(architecture, loss, miner, networkOptimizer, networkOptimizer, lossOptimizer, batchSize, m, augmentation,
                iterations, checkpointInterval, seed, checkpoints, threads, false, Initialization.GLOROT);
    }

    /** @return these settings with {@code freezeBatchNorm} set as given */
    public TrainingConfig withFreezeBatchNorm(boolean freeze) {
        return new TrainingConfig(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize,
                m, augmentation, iterations, checkpointInterval, seed, checkpoints, threads, freeze, initialization, updates);
    }

    /** @return these settings with {@code initialization} set as given */
    public TrainingConfig withInitialization(Initialization scheme) {
        return new TrainingConfig(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize,
                m, augmentation, iterations, checkpointInterval, seed, checkpoints, threads, freezeBatchNorm, scheme, updates);
    }

    /** @return these settings with warm-up and clipping set as given */
    public TrainingConfig withUpdates(UpdateSettings settings) {
        return new TrainingConfig(architecture, loss, miner, trunkOptimizer, embedderOptimizer, lossOptimizer, batchSize,
                m, augmentation, iterations, checkpointInterval, seed, checkpoints, threads, freezeBatchNorm,
                initialization, settings);
    }

    /** @return how BatchNorm layers train under these settings */
    public BatchNormMode batchNormMode() {
        return freezeBatchNorm ? BatchNormMode.FROZEN : BatchNormMode.TRAINING;
    }
}
