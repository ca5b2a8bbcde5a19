package dev.realitycheck.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.proto.v1.CheckpointChunk;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.CheckpointRecord;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Reassembles checkpoints from {@link Topics#CHECKPOINTS} records with bounded memory: each
 * checkpoint in progress streams to a temporary file and an incremental SHA-256, so memory holds
 * one chunk at a time whatever the model's size. Checkpoints may interleave on a partition.
 *
 * <p>Nothing bad crashes it and nothing is half-loaded: an unparseable record, a chunk without
 * its manifest, a chunk out of order or missing, a duplicate, a size or digest mismatch, or a
 * checkpoint that stalls, each yields a {@link DeadLetter} (and drops that checkpoint's partial
 * file); only verified checkpoints come out as {@link AssembledCheckpoint}.
 *
 * <p>With a verifier, a manifest must carry a signature by a trusted key ({@link RecordSignatures}):
 * one that does not is rejected ({@code DEAD_LETTER_REASON_SIGNATURE}) and never assembled, and so
 * are the chunks that follow it. A chunk needs no signature: the signed manifest fixes its checkpoint's
 * size and SHA-256.
 *
 * <p>At-least-once: {@link #safeCommitOffset} never passes the manifest of a checkpoint still in
 * progress, so a consumer restarted from its committed offset sees every unfinished checkpoint again.
 * Not thread-safe: one instance per consumer thread.
 */
public final class CheckpointAssembler implements AutoCloseable {

    /**
     * What one record led to: verified checkpoints, rejections, and the manifests of checkpoints
     * that failed as a whole (incomplete or corrupt), so a consumer can report them (any list may be empty).
     */
    public record Outcome(List<AssembledCheckpoint> completed, List<DeadLetter> rejected,
                          List<CheckpointManifest> failed) {
        static final Outcome NOTHING = new Outcome(List.of(), List.of(), List.of());

        Outcome(List<AssembledCheckpoint> completed, List<DeadLetter> rejected) {
            this(completed, rejected, List.of());
        }

        static Outcome rejected(DeadLetter d) {
            return new Outcome(List.of(), List.of(d));
        }

        static Outcome failed(DeadLetter d, CheckpointManifest m) {
            return new Outcome(List.of(), List.of(d), List.of(m));
        }
    }

    private final class InProgress {
        final CheckpointManifest manifest;
        final int partition;
        final long firstOffset;
        final long timestamp;
        final Path file;
        final OutputStream out;
        final MessageDigest digest = Digests.sha256();
        int nextIndex;
        long bytes;
        Instant lastProgress;
        final Instant started;

        InProgress(CheckpointManifest manifest, int partition, long firstOffset, long timestamp) throws IOException {
            this.manifest = manifest;
            this.partition = partition;
            this.firstOffset = firstOffset;
            this.timestamp = timestamp;
            this.file = Files.createTempFile(workDir, "checkpoint-", ".part");
            this.out = Files.newOutputStream(file);
            this.lastProgress = clock.instant();
            this.started = lastProgress;
        }

        void discard() {
            try {
                out.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Path workDir;
    private final long maxCheckpointBytes;
    private final int maxInProgress;
    private final Duration stallTimeout;
    private final DeadLetterFactory letters;
    private final Clock clock;
    /** Checks manifests' signatures; null: not checked. */
    private final RecordSignatures.Verifier verifier;
    /** Checkpoints whose manifest was rejected for its signature, per partition: their chunks are too. */
    private final Map<Integer, SequencedSet<String>> unsigned = new LinkedHashMap<>();
    private final Map<String, InProgress> inProgress = new LinkedHashMap<>();
    /** Checkpoints completed or rejected recently, per partition: later records of them are duplicates. */
    private final Map<Integer, SequencedSet<String>> finished = new LinkedHashMap<>();

    /**
     * @param workDir            where partial and assembled files go
     * @param maxCheckpointBytes largest packed model accepted
     * @param maxInProgress      most checkpoints assembled at once (the oldest is dropped beyond)
     * @param stallTimeout       a checkpoint with no new chunk for this long is incomplete
     * @param consumer           name written into dead letters (e.g. "evaluation-service")
     */
    public CheckpointAssembler(Path workDir, long maxCheckpointBytes, int maxInProgress, Duration stallTimeout,
                               String consumer, Clock clock) {
        this(workDir, maxCheckpointBytes, maxInProgress, stallTimeout, consumer, clock, null);
    }

    /**
     * @param verifier checks each manifest's signature; null: manifests are not checked
     * @see #CheckpointAssembler(Path, long, int, Duration, String, Clock)
     */
    public CheckpointAssembler(Path workDir, long maxCheckpointBytes, int maxInProgress, Duration stallTimeout,
                               String consumer, Clock clock, RecordSignatures.Verifier verifier) {
        if (maxCheckpointBytes < 1 || maxInProgress < 1) {
            throw new IllegalArgumentException("maxCheckpointBytes and maxInProgress must be >= 1, got "
                    + maxCheckpointBytes + " and " + maxInProgress);
        }
        this.workDir = workDir;
        this.maxCheckpointBytes = maxCheckpointBytes;
        this.maxInProgress = maxInProgress;
        this.stallTimeout = stallTimeout;
        this.letters = new DeadLetterFactory(consumer, clock);
        this.clock = clock;
        this.verifier = verifier;
    }

    /** Feeds one record of the checkpoints topic, in partition order (without headers: unsigned). */
    public Outcome accept(String topic, int partition, long offset, byte[] key, byte[] value) {
        return accept(topic, partition, offset, key, value, null, -1);
    }

    /**
     * Feeds one consumed record of the checkpoints topic, in partition order, with what the broker
     * adds: its headers (the signature's) and its timestamp (the manifest's is the checkpoint's
     * {@link AssembledCheckpoint#brokerTimestamp()}).
     */
    public Outcome accept(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
        return accept(r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.headers(), r.timestamp());
    }

    private Outcome accept(String topic, int partition, long offset, byte[] key, byte[] value,
                           org.apache.kafka.common.header.Headers headers, long timestamp) {
        CheckpointRecord record;
        try {
            record = CheckpointRecord.parseFrom(value == null ? new byte[0] : value);
        } catch (InvalidProtocolBufferException e) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_UNPARSEABLE, "not a CheckpointRecord: " + e.getMessage()));
        }
        String keyText = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        return switch (record.getRecordCase()) {
            case MANIFEST -> {
                java.util.Optional<String> bad = verifier == null ? java.util.Optional.empty() : verifier.problem(value, headers);
                if (bad.isPresent()) {
                    remember(unsigned, partition, record.getManifest().getCheckpointId());
                    yield Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                            DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE, "manifest of checkpoint "
                                    + record.getManifest().getCheckpointId() + " not accepted: " + bad.get()));
                }
                yield manifest(topic, partition, offset, timestamp, key, value, keyText, record.getManifest());
            }
            case CHUNK -> chunk(topic, partition, offset, key, value, keyText, record.getChunk());
            case RECORD_NOT_SET -> Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_INVALID, "CheckpointRecord has neither manifest nor chunk"));
        };
    }

    private Outcome manifest(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                             String keyText,
                             CheckpointManifest m) {
        String problem = validate(m, keyText);
        if (problem != null) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_INVALID, problem));
        }
        String id = m.getCheckpointId();
        if (inProgress.containsKey(id) || finishedOn(partition).contains(id)) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE, "duplicate manifest of checkpoint " + id));
        }
        List<DeadLetter> rejected = new ArrayList<>();
        List<CheckpointManifest> failed = new ArrayList<>();
        if (inProgress.size() >= maxInProgress) {
            InProgress oldest = inProgress.values().iterator().next();
            rejected.add(drop(topic, oldest, DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE,
                    "checkpoint " + oldest.manifest.getCheckpointId() + " dropped incomplete: more than "
                            + maxInProgress + " checkpoints in progress"));
            failed.add(oldest.manifest);
        }
        try {
            inProgress.put(id, new InProgress(m, partition, offset, timestamp));
        } catch (IOException e) {
            rejected.add(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED, "cannot create a file for checkpoint " + id + ": " + e));
            failed.add(m);
            return new Outcome(List.of(), rejected, failed);
        }
        if (m.getSizeBytes() == 0) {
            Outcome done = complete(topic, inProgress.get(id), offset, rejected);
            failed.addAll(done.failed());
            return new Outcome(done.completed(), done.rejected(), failed);
        }
        return new Outcome(List.of(), rejected, failed);
    }

    private Outcome chunk(String topic, int partition, long offset, byte[] key, byte[] value, String keyText,
                          CheckpointChunk c) {
        String id = c.getCheckpointId();
        InProgress p = inProgress.get(id);
        if (p == null && unsigned.getOrDefault(partition, new LinkedHashSet<>()).contains(id)) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_SIGNATURE, "chunk " + c.getIndex() + " of checkpoint " + id
                            + ", whose manifest was not signed by a trusted key"));
        }
        if (p == null) {
            boolean known = finishedOn(partition).contains(id);
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    known ? DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE : DeadLetterReason.DEAD_LETTER_REASON_INVALID,
                    known ? "chunk " + c.getIndex() + " of checkpoint " + id + ", which is already complete or rejected"
                          : "chunk " + c.getIndex() + " of checkpoint " + id + " without its manifest"));
        }
        if (!id.equals(keyText)) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_INVALID, "chunk of checkpoint " + id + " has key '" + keyText + "'"));
        }
        if (c.getIndex() < p.nextIndex) {
            return Outcome.rejected(recordLetter(topic, partition, offset, key, value,
                    DeadLetterReason.DEAD_LETTER_REASON_DUPLICATE, "duplicate chunk " + c.getIndex() + " of checkpoint " + id));
        }
        if (c.getIndex() > p.nextIndex) {
            return Outcome.failed(drop(topic, p, DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE,
                    "checkpoint " + id + ": chunk " + c.getIndex() + " arrived at offset " + offset + " but chunk "
                            + p.nextIndex + " was expected (missing or out of order)"), p.manifest);
        }
        long size = p.manifest.getSizeBytes();
        int expected = (int) Math.min(p.manifest.getChunkSizeBytes(), size - p.bytes);
        if (c.getData().size() != expected) {
            return Outcome.failed(drop(topic, p, DeadLetterReason.DEAD_LETTER_REASON_CORRUPT,
                    "checkpoint " + id + ": chunk " + c.getIndex() + " has " + c.getData().size() + " bytes, expected "
                            + expected), p.manifest);
        }
        try {
            c.getData().writeTo(p.out);
            p.digest.update(c.getData().asReadOnlyByteBuffer());
        } catch (IOException e) {
            return Outcome.rejected(drop(topic, p, DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED,
                    "checkpoint " + id + ": cannot write chunk " + c.getIndex() + ": " + e));
        }
        p.bytes += expected;
        p.nextIndex++;
        p.lastProgress = clock.instant();
        if (p.nextIndex == p.manifest.getChunkCount()) {
            return complete(topic, p, offset, new ArrayList<>());
        }
        return Outcome.NOTHING;
    }

    private Outcome complete(String topic, InProgress p, long lastOffset, List<DeadLetter> rejected) {
        String id = p.manifest.getCheckpointId();
        inProgress.remove(id);
        remember(p.partition, id);
        try {
            p.out.close();
        } catch (IOException e) {
            p.discard();
            rejected.add(checkpointLetter(topic, p, DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED,
                    "checkpoint " + id + ": cannot finish its file: " + e));
            return new Outcome(List.of(), rejected);
        }
        String sha = HexFormat.of().formatHex(p.digest.digest());
        if (p.bytes != p.manifest.getSizeBytes() || !sha.equals(p.manifest.getSha256())) {
            p.discard();
            rejected.add(checkpointLetter(topic, p, DeadLetterReason.DEAD_LETTER_REASON_CORRUPT,
                    "checkpoint " + id + ": reassembled " + p.bytes + " bytes with sha256 " + sha + ", manifest says "
                            + p.manifest.getSizeBytes() + " bytes with sha256 " + p.manifest.getSha256()));
            return new Outcome(List.of(), rejected, List.of(p.manifest));
        }
        return new Outcome(List.of(new AssembledCheckpoint(p.manifest, p.file, p.partition, p.firstOffset, lastOffset, p.timestamp,
                Duration.between(p.started, clock.instant()))), rejected);
    }

    /** Checkpoints that made no progress for the stall timeout: dropped, one dead letter each. */
    public Outcome expireStalled(String topic) {
        Instant limit = clock.instant().minus(stallTimeout);
        List<DeadLetter> letters = new ArrayList<>();
        List<CheckpointManifest> failed = new ArrayList<>();
        for (InProgress p : List.copyOf(inProgress.values())) {
            if (p.lastProgress.isBefore(limit)) {
                letters.add(drop(topic, p, DeadLetterReason.DEAD_LETTER_REASON_INCOMPLETE, "checkpoint "
                        + p.manifest.getCheckpointId() + " incomplete: " + p.nextIndex + " of " + p.manifest.getChunkCount()
                        + " chunks, none for " + stallTimeout.toSeconds() + " s"));
                failed.add(p.manifest);
            }
        }
        return letters.isEmpty() ? Outcome.NOTHING : new Outcome(List.of(), letters, failed);
    }

    /**
     * The offset a consumer may commit for {@code partition} when its next record is at
     * {@code nextOffset}: never past the manifest of a checkpoint still in progress there.
     */
    public long safeCommitOffset(int partition, long nextOffset) {
        long safe = nextOffset;
        for (InProgress p : inProgress.values()) {
            if (p.partition == partition) {
                safe = Math.min(safe, p.firstOffset);
            }
        }
        return safe;
    }

    /** Forgets a partition (revoked): its partial checkpoints are discarded, to be re-read by its next owner. */
    public void forget(int partition) {
        Iterator<InProgress> it = inProgress.values().iterator();
        while (it.hasNext()) {
            InProgress p = it.next();
            if (p.partition == partition) {
                p.discard();
                it.remove();
            }
        }
        finished.remove(partition);
        unsigned.remove(partition);
    }

    /** Checkpoints currently being assembled. */
    public int inProgress() {
        return inProgress.size();
    }

    @Override
    public void close() {
        inProgress.values().forEach(InProgress::discard);
        inProgress.clear();
    }

    private DeadLetter drop(String topic, InProgress p, DeadLetterReason reason, String message) {
        inProgress.remove(p.manifest.getCheckpointId());
        remember(p.partition, p.manifest.getCheckpointId());
        p.discard();
        return checkpointLetter(topic, p, reason, message);
    }

    private void remember(int partition, String id) {
        remember(finished, partition, id);
    }

    private static void remember(Map<Integer, SequencedSet<String>> ids, int partition, String id) {
        SequencedSet<String> set = ids.computeIfAbsent(partition, p -> new LinkedHashSet<>());
        set.add(id);
        while (set.size() > 10_000) {
            set.removeFirst();
        }
    }

    private SequencedSet<String> finishedOn(int partition) {
        return finished.computeIfAbsent(partition, p -> new LinkedHashSet<>());
    }

    private String validate(CheckpointManifest m, String key) {
        if (m.getCheckpointId().isBlank()) {
            return "manifest without checkpoint_id";
        }
        if (!m.getCheckpointId().equals(key)) {
            return "manifest of checkpoint " + m.getCheckpointId() + " has key '" + key + "'";
        }
        if (m.getSizeBytes() < 0 || m.getSizeBytes() > maxCheckpointBytes) {
            return "checkpoint " + m.getCheckpointId() + ": size_bytes " + m.getSizeBytes() + " not in [0, " + maxCheckpointBytes + "]";
        }
        if (m.getChunkSizeBytes() < 1) {
            return "checkpoint " + m.getCheckpointId() + ": chunk_size_bytes " + m.getChunkSizeBytes() + " < 1";
        }
        long chunks = Math.max(1, (m.getSizeBytes() + m.getChunkSizeBytes() - 1) / m.getChunkSizeBytes());
        if (m.getSizeBytes() > 0 && m.getChunkCount() != chunks) {
            return "checkpoint " + m.getCheckpointId() + ": chunk_count " + m.getChunkCount() + ", but " + m.getSizeBytes()
                    + " bytes in chunks of " + m.getChunkSizeBytes() + " make " + chunks;
        }
        if (!m.getSha256().matches("[0-9a-f]{64}")) {
            return "checkpoint " + m.getCheckpointId() + ": sha256 '" + m.getSha256() + "' is not 64 lower-case hex digits";
        }
        return null;
    }

    private DeadLetter recordLetter(String topic, int partition, long offset, byte[] key, byte[] value,
                                    DeadLetterReason reason, String message) {
        return letters.of(topic, partition, offset, key, value, reason, message);
    }

    private DeadLetter checkpointLetter(String topic, InProgress p, DeadLetterReason reason, String message) {
        return letters.of(topic, p.partition, p.firstOffset, p.manifest.getCheckpointId().getBytes(StandardCharsets.UTF_8),
                null, reason, message);
    }
}
