package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.knn.Embeddings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The test-class embeddings of evaluated checkpoints, one file per checkpoint in a directory of the
 * work dir, so a concatenated evaluation ({@code concatenation.FoldConcatenator}) can reuse them without fetching
 * the checkpoints from Kafka again. Bounded: when the files exceed {@code maxBytes}, the least
 * recently written ones are deleted (a later concatenation needing one reports it as missing).
 * Writes are atomic (temp file, then move), so a reader never sees half a file.
 */
public final class TestEmbeddingCache {

    private static final Logger LOG = Logger.getLogger(TestEmbeddingCache.class);
    private static final int MAGIC = 0x52434531; // "RCE1"

    /** The cached embeddings of one checkpoint: rows aligned with the test classes' images, in dataset order. */
    public record Entry(Embeddings embeddings, int[] labels) {
        public Entry {
            if (labels.length != embeddings.rows()) {
                throw new IllegalArgumentException("labels (" + labels.length + ") must match rows (" + embeddings.rows() + ")");
            }
        }
    }

    private final Path dir;
    private final long maxBytes;
    private long lastStamp;

    /**
     * @param dir      the directory of the files (created on the first write)
     * @param maxBytes the bound on the files' total size
     */
    public TestEmbeddingCache(Path dir, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** Stores (or replaces) a checkpoint's test embeddings, then evicts beyond the bound. */
    public synchronized void put(String checkpointId, Embeddings embeddings, int[] labels) throws IOException {
        Entry entry = new Entry(embeddings, labels);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "put-", ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(entry.embeddings().rows());
            out.writeInt(entry.embeddings().dim());
            for (float v : entry.embeddings().values()) {
                out.writeFloat(v);
            }
            for (int label : entry.labels()) {
                out.writeInt(label);
            }
        }
        Path target = file(checkpointId);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // strictly increasing stamps: eviction order is write order even within one millisecond
        lastStamp = Math.max(System.currentTimeMillis(), lastStamp + 1);
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(lastStamp));
        evict();
    }

    /** A checkpoint's test embeddings, if cached. */
    public synchronized Optional<Entry> get(String checkpointId) throws IOException {
        Path f = file(checkpointId);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a test-embedding file: " + f);
            }
            int rows = in.readInt();
            int dim = in.readInt();
            float[] values = new float[Math.multiplyExact(rows, dim)];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readFloat();
            }
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = in.readInt();
            }
            return Optional.of(new Entry(new Embeddings(values, rows, dim), labels));
        }
    }

    /** Bytes the cached files take now. */
    synchronized long sizeBytes() throws IOException {
        return files().stream().mapToLong(TestEmbeddingCache::size).sum();
    }

    private void evict() throws IOException {
        List<Path> files = new ArrayList<>(files());
        files.sort(Comparator.comparingLong(TestEmbeddingCache::modified).reversed()); // newest first
        long total = 0;
        for (Path f : files) {
            total += size(f);
            if (total > maxBytes) {
                LOG.infof("test-embedding cache over %d bytes: dropping %s", maxBytes, f.getFileName());
                Files.deleteIfExists(f);
            }
        }
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".emb")).toList();
        }
    }

    private Path file(String checkpointId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(checkpointId.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".emb");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
