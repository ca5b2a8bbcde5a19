package dev.realitycheck.transport;

import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.DeadLetterReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consumed records of {@link Topics#CHECKPOINTS} turned into verified checkpoints for an owner: each
 * record goes to a {@link CheckpointAssembler}; every rejection (malformed, duplicate, corrupt,
 * incomplete or stalled) is parked on the dead-letter topic ({@link DeadLetterPublisher}) and told to
 * the {@link Sink}; checkpoints that failed as a whole are told to the sink too, and each verified
 * checkpoint is handed to the sink and then deleted. What the evaluation loop and the model follower
 * did alike around their assemblers, kept once.
 *
 * <p>Exceptions: a dead letter that the broker does not acknowledge, and anything the sink throws,
 * propagate to the caller (the {@link ConsumerLoop} then drops its consumer and reads again from the
 * committed offsets); a checkpoint the owner cannot use is parked with {@link #reject}. Not
 * thread-safe: one instance per consumer, on the loop's thread.
 */
public final class CheckpointStream implements AutoCloseable {

    /** Most checkpoints reassembled at once; beyond it the oldest is dropped as incomplete. */
    static final int MAX_IN_PROGRESS = 16;

    /**
     * @param topic              the checkpoints topic (named in dead letters of stalled checkpoints)
     * @param workDir            where checkpoints are reassembled (created when missing)
     * @param maxCheckpointBytes largest packed checkpoint accepted, >= 1
     * @param stallTimeout       a checkpoint with no chunk for this long is incomplete, positive
     * @param consumer           the consumer named in the dead letters, e.g. "evaluation-service"
     * @param verifier           checks every manifest's signature ({@link RecordSignatures}); null: not checked
     */
    public record Settings(String topic, Path workDir, long maxCheckpointBytes, Duration stallTimeout, String consumer,
                           RecordSignatures.Verifier verifier) {

        /** Settings whose manifests are not checked for a signature. */
        public Settings(String topic, Path workDir, long maxCheckpointBytes, Duration stallTimeout, String consumer) {
            this(topic, workDir, maxCheckpointBytes, stallTimeout, consumer, null);
        }

        /** Validates every value, naming the bad one. */
        public Settings {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank, was '" + topic + "'");
            }
            Objects.requireNonNull(workDir, "workDir");
            if (maxCheckpointBytes < 1) {
                throw new IllegalArgumentException("maxCheckpointBytes must be >= 1, was " + maxCheckpointBytes);
            }
            if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
                throw new IllegalArgumentException("stallTimeout must be positive, was " + stallTimeout);
            }
            if (consumer == null || consumer.isBlank()) {
                throw new IllegalArgumentException("consumer must not be blank, was '" + consumer + "'");
            }
        }
    }

    /** What the owner does with the stream's outcomes, on the loop's thread. */
    public interface Sink {

        /**
         * A checkpoint whose size and digest match its manifest; its file is deleted when this returns.
         * Throwing fails the poll (nothing is committed past it); to park an unusable checkpoint
         * instead, call {@link CheckpointStream#reject} and return.
         */
        void completed(AssembledCheckpoint checkpoint) throws Exception;

        /** A checkpoint that failed as a whole (incomplete, corrupt); its dead letter is already parked. */
        default void failed(CheckpointManifest manifest) throws Exception {
        }

        /** A dead letter was parked (to count it, by reason). */
        default void deadLettered(DeadLetter letter) {
        }
    }

    private final Settings settings;
    private final CheckpointAssembler assembler;
    private final DeadLetterPublisher deadLetters;
    private final DeadLetterFactory letters;
    private final Sink sink;

    private CheckpointStream(Settings settings, CheckpointAssembler assembler, DeadLetterPublisher deadLetters,
                             DeadLetterFactory letters, Sink sink) {
        this.settings = settings;
        this.assembler = assembler;
        this.deadLetters = deadLetters;
        this.letters = letters;
        this.sink = sink;
    }

    /** A stream on the system clock. */
    public static CheckpointStream open(Settings settings, DeadLetterPublisher deadLetters, Sink sink) throws IOException {
        return open(settings, deadLetters, sink, Clock.systemUTC());
    }

    /**
     * Creates the work directory and the assembler.
     *
     * @param clock times stalls and stamps dead letters
     */
    public static CheckpointStream open(Settings settings, DeadLetterPublisher deadLetters, Sink sink, Clock clock)
            throws IOException {
        Files.createDirectories(settings.workDir());
        CheckpointAssembler assembler = new CheckpointAssembler(settings.workDir(), settings.maxCheckpointBytes(),
                MAX_IN_PROGRESS, settings.stallTimeout(), settings.consumer(), clock, settings.verifier());
        return new CheckpointStream(settings, assembler, Objects.requireNonNull(deadLetters, "deadLetters"),
                new DeadLetterFactory(settings.consumer(), clock), Objects.requireNonNull(sink, "sink"));
    }

    /** Feeds one record of the checkpoints topic, in partition order. */
    public void accept(ConsumerRecord<byte[], byte[]> record) throws Exception {
        handle(assembler.accept(record));
    }

    /** Drops the checkpoints that made no progress for the stall timeout; call once per poll. */
    public void expireStalled() throws Exception {
        handle(assembler.expireStalled(settings.topic()));
    }

    /**
     * Parks a verified checkpoint that the owner cannot use (it cannot be loaded or scored): a
     * {@code PROCESSING_FAILED} dead letter keyed by the checkpoint id, at its manifest's offset.
     */
    public void reject(AssembledCheckpoint checkpoint, String message) {
        publish(letters.of(settings.topic(), checkpoint.partition(), checkpoint.firstOffset(),
                checkpoint.manifest().getCheckpointId().getBytes(StandardCharsets.UTF_8), null,
                DeadLetterReason.DEAD_LETTER_REASON_PROCESSING_FAILED, message));
    }

    /** See {@link CheckpointAssembler#safeCommitOffset}: never past a checkpoint still in progress. */
    public long safeCommitOffset(int partition, long nextOffset) {
        return assembler.safeCommitOffset(partition, nextOffset);
    }

    /** Checkpoints whose manifest arrived and whose last chunk has not (see {@link CheckpointAssembler#inProgress}). */
    public int inProgress() {
        return assembler.inProgress();
    }

    /** A partition revoked or newly assigned: its partial checkpoints are discarded, to be read again. */
    public void forget(int partition) {
        assembler.forget(partition);
    }

    /** Discards the partial checkpoints. */
    @Override
    public void close() {
        assembler.close();
    }

    private void handle(CheckpointAssembler.Outcome outcome) throws Exception {
        outcome.rejected().forEach(this::publish);
        for (CheckpointManifest m : outcome.failed()) {
            sink.failed(m);
        }
        List<AssembledCheckpoint> completed = outcome.completed();
        int next = 0;
        try {
            while (next < completed.size()) {
                try (AssembledCheckpoint checkpoint = completed.get(next++)) {
                    sink.completed(checkpoint);
                }
            }
        } finally {
            completed.subList(next, completed.size()).forEach(AssembledCheckpoint::close); // after a failure
        }
    }

    private void publish(DeadLetter letter) {
        deadLetters.publish(letter);
        sink.deadLettered(letter);
    }
}
