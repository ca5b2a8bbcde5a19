package dev.realitycheck.model;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a SavedModel directory into one zip byte stream, the form a checkpoint model travels in,
 * and unpacks it again (see {@link ArchiveUnpacker}).
 *
 * <p>Packing is deterministic, so the same model directory always gives the same bytes and the
 * same SHA-256: regular files only (symbolic links and other special files are refused), entries
 * sorted by their {@code /}-separated relative path, no directory entries, every timestamp
 * 1980-01-01 00:00 in DOS local time (independent of the time zone), and method STORED (weights
 * hardly compress, and DEFLATE output may differ between zlib builds).
 */
public final class SavedModelArchive {

    /** The timestamp of every entry: the earliest DOS date. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private SavedModelArchive() {
    }

    /**
     * Packs {@code directory} into {@code out}, which is flushed but not closed.
     *
     * @return the SHA-256 and length of the bytes written
     * @throws IOException if the directory has no regular files, has a link or special file, or
     *                     cannot be read, or {@code out} cannot be written
     */
    public static PackedModel pack(Path directory, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        List<String> names = entryNames(directory);
        MessageDigest digest = Sha256.newDigest();
        long[] count = {0};
        OutputStream counting = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                count[0] += len;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                count[0]++;
            }
        };
        DigestOutputStream digesting = new DigestOutputStream(counting, digest);
        ZipOutputStream zip = new ZipOutputStream(digesting);
        for (String name : names) {
            Path file = directory.resolve(name);
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            long size = Files.size(file);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc(file));
            entry.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(entry);
            Files.copy(file, zip);
            zip.closeEntry();
        }
        zip.finish();
        digesting.flush();
        return new PackedModel(Sha256.hex(digest.digest()), count[0]);
    }

    /**
     * Packs {@code directory} into the file {@code archive}, replacing it if it exists.
     *
     * @return the SHA-256 and length of the file
     */
    public static PackedModel pack(Path directory, Path archive) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16)) {
            return pack(directory, out);
        }
    }

    /**
     * Unpacks an archive file with {@link ArchiveLimits#DEFAULT} into a fresh directory next to it
     * (see {@link #unpack(Path, ArchiveLimits)}).
     */
    public static UnpackedModel unpack(Path archive) throws IOException {
        return unpack(archive, ArchiveLimits.DEFAULT);
    }

    /**
     * Unpacks an archive file into a fresh directory next to it: in the services that is the work
     * directory where the checkpoint was reassembled, never the shared temporary directory.
     *
     * @throws InvalidModelException naming {@code archive} if an entry escapes the directory or is
     *                               absolute, the limits are exceeded, or the zip is corrupt
     */
    public static UnpackedModel unpack(Path archive, ArchiveLimits limits) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return new ArchiveUnpacker(archive, limits).unpack(in, archive.toAbsolutePath().getParent());
        }
    }

    /**
     * Unpacks an archive read from {@code in} (to its end; not closed) into a fresh directory under
     * {@code parent} (created if missing). On failure nothing is left behind.
     *
     * @param source how to name the archive in error messages, e.g. a checkpoint id as a path
     * @throws InvalidModelException naming {@code source} if an entry escapes the directory or is
     *                               absolute, the limits are exceeded, or the zip is corrupt
     */
    public static UnpackedModel unpack(InputStream in, Path source, Path parent, ArchiveLimits limits)
            throws IOException {
        return new ArchiveUnpacker(source, limits).unpack(in, parent);
    }

    private static List<String> entryNames(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(directory + ": cannot pack: not a directory");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(p + ": cannot pack: not a regular file (a link or special file)");
                }
                List<String> parts = new ArrayList<>();
                directory.relativize(p).forEach(part -> parts.add(part.toString()));
                names.add(String.join("/", parts));
            }
        }
        if (names.isEmpty()) {
            throw new IOException(directory + ": cannot pack: no files");
        }
        names.sort(null);
        return names;
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return crc.getValue();
    }
}
