package dev.realitycheck.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Everything a crashed run needs to continue as if it had not stopped: the seed, the number of
 * completed iterations (which is also the position of the sampler's and the augmentation's random
 * streams, see {@link MPerClassSampler#batch(long)}) and the value of every variable of the
 * training graph (weights, loss parameters, optimizer slots, step counter).
 *
 * <p>File format (big-endian): the 8 ASCII bytes {@value #MAGIC}, the seed (long), the iteration
 * (long), the variable count (int), then per variable its name ({@link DataOutputStream#writeUTF}),
 * its value count (int) and the values (float bits), and last the CRC-32 (long) of everything
 * before it. Written to a temporary file and moved into place, so a crash never leaves half a file.
 *
 * @param seed      the run's seed
 * @param iteration completed iterations; non-negative
 * @param values    every variable's values, in graph creation order (copied in)
 */
public record TrainingState(long seed, long iteration, SequencedMap<String, float[]> values) {

    /** The first bytes of a state file. */
    public static final String MAGIC = "RCSTATE1";

    /** Validates and copies. */
    public TrainingState {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative, was " + iteration);
        }
        Objects.requireNonNull(values, "values");
        SequencedMap<String, float[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), v.clone()));
        values = Collections.unmodifiableSequencedMap(copy);
    }

    /** Writes the state atomically to {@code file}. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw), crc))) {
            out.writeBytes(MAGIC);
            out.writeLong(seed);
            out.writeLong(iteration);
            out.writeInt(values.size());
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) {
                    out.writeInt(Float.floatToRawIntBits(f));
                }
            }
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a state file.
     *
     * @throws IOException naming the file if it is not a state file, is truncated or fails its checksum
     */
    public static TrainingState read(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            byte[] magic = in.readNBytes(MAGIC.length());
            if (!MAGIC.equals(new String(magic, java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new IOException(file + ": not a training state file (no " + MAGIC + " header)");
            }
            long seed = in.readLong();
            long iteration = in.readLong();
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": negative variable count " + count);
            }
            SequencedMap<String, float[]> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int n = in.readInt();
                if (n < 0) {
                    throw new IOException(file + ": variable " + name + " has negative size " + n);
                }
                float[] v = new float[n];
                for (int k = 0; k < n; k++) {
                    v[k] = Float.intBitsToFloat(in.readInt());
                }
                values.put(name, v);
            }
            long expected = crc.getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IOException(file + ": checksum mismatch, the file is corrupt");
            }
            return new TrainingState(seed, iteration, values);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated training state file", e);
        }
    }
}
