package dev.realitycheck.embedding.serving;

import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.model.UnpackedModel;
import dev.realitycheck.proto.v1.CheckpointManifest;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One checkpoint loaded in TensorFlow, reference counted: the registry holds one reference until it
 * {@link #retire()}s the model, each request holds one through a {@link ModelLease}; the TensorFlow
 * session and the unpacked files are released when the last reference goes, so a model is never
 * closed under a request that uses it.
 */
public final class LoadedModel {

    private static final Logger LOG = Logger.getLogger(LoadedModel.class);

    private final CheckpointManifest manifest;
    private final UnpackedModel files;
    private final SavedModelEmbedder embedder;
    private final Instant loadedAt;
    private final long arrival;
    private final long brokerTimestamp;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final AtomicLong lastServedNanos;

    /**
     * @param manifest its manifest
     * @param files    the unpacked SavedModel directory (deleted on release)
     * @param embedder the model loaded from {@code files}
     * @param arrival  arrival order among the checkpoints this replica loaded
     * @param brokerTimestamp the broker's append time of its manifest record (ms; -1 when unknown)
     */
    public LoadedModel(CheckpointManifest manifest, UnpackedModel files, SavedModelEmbedder embedder, long arrival,
                       long brokerTimestamp) {
        this.brokerTimestamp = brokerTimestamp;
        this.manifest = manifest;
        this.files = files;
        this.embedder = embedder;
        this.arrival = arrival;
        this.loadedAt = Instant.now();
        this.lastServedNanos = new AtomicLong(System.nanoTime());
    }

    public String checkpointId() {
        return manifest.getCheckpointId();
    }

    public CheckpointManifest manifest() {
        return manifest;
    }

    public SavedModelEmbedder embedder() {
        return embedder;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long arrival() {
        return arrival;
    }

    /** The broker's append time of its manifest record (ms), -1 when unknown: what "latest" orders by. */
    public long brokerTimestamp() {
        return brokerTimestamp;
    }

    /** When a request last used this model ({@link System#nanoTime()}), for least-recently-served eviction. */
    public long lastServedNanos() {
        return lastServedNanos.get();
    }

    /** A new reference for one request, or null when the model is already released. */
    ModelLease tryLease() {
        int n;
        do {
            n = references.get();
            if (n <= 0) {
                return null;
            }
        } while (!references.compareAndSet(n, n + 1));
        lastServedNanos.set(System.nanoTime());
        return new ModelLease(this);
    }

    /** Drops the registry's reference (once); the model closes when no request uses it any more. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** @return true once the model is retired (it may still finish running requests) */
    public boolean isRetired() {
        return retired.get();
    }

    /** @return true once TensorFlow resources are released */
    public boolean isClosed() {
        return references.get() <= 0;
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            embedder.close();
            try {
                files.close();
            } catch (IOException e) {
                LOG.warnf("could not delete the files of checkpoint %s: %s", checkpointId(), e);
            }
            LOG.infof("closed checkpoint %s", checkpointId());
        }
    }
}
