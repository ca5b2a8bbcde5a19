package dev.realitycheck.model;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a model archive into a fresh directory under a given parent (never the shared temporary
 * directory), refusing anything that could write outside it or without bound ("zip slip", "zip
 * bomb"): entry names that are absolute, hold {@code ..}, {@code .}, empty segments, backslashes
 * or NUL; duplicate entries; more entries, more bytes or a higher compression ratio than the
 * {@link ArchiveLimits}. Bytes are counted as read and written, never as the headers declare.
 */
final class ArchiveUnpacker {

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private final Path source;
    private final ArchiveLimits limits;

    ArchiveUnpacker(Path source, ArchiveLimits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    UnpackedModel unpack(InputStream in, Path parent) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(parent, "parent");
        Path target = Files.createTempDirectory(Files.createDirectories(parent), "realitycheck-model-");
        try {
            extract(in, target.toRealPath());
            return new UnpackedModel(target);
        } catch (IOException | RuntimeException e) {
            try {
                UnpackedModel.deleteRecursively(target);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void extract(InputStream in, Path target) throws IOException {
        long[] read = {0};
        InputStream notClosing = new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    read[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    read[0] += n;
                }
                return n;
            }

            @Override
            public void close() {
                // the caller owns the stream
            }
        };
        int entries = 0;
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(notClosing)) {
            byte[] buffer = new byte[64 * 1024];
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (++entries > limits.maxEntries()) {
                    throw invalid("more than " + limits.maxEntries() + " entries");
                }
                Path path = resolve(target, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw invalid("duplicate entry '" + entry.getName() + "'");
                }
                Files.createDirectories(path.getParent());
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
                    for (int n; (n = zip.read(buffer)) > 0; ) {
                        total += n;
                        if (total > limits.maxTotalBytes()) {
                            throw invalid("unpacks to more than " + limits.maxTotalBytes() + " bytes");
                        }
                        if (total > ArchiveLimits.RATIO_GRACE_BYTES
                                && total > (double) limits.maxCompressionRatio() * read[0]) {
                            throw invalid("expands more than " + limits.maxCompressionRatio()
                                    + " times (" + total + " bytes from " + read[0] + " archive bytes read)");
                        }
                        out.write(buffer, 0, n);
                    }
                }
            }
        } catch (ZipException | EOFException e) {
            throw new InvalidModelException(source, "corrupt zip archive: " + e.getMessage(), e);
        }
        if (entries == 0) {
            throw invalid("no zip entries (empty, or not a zip archive)");
        }
    }

    /** Checks an entry name and resolves it under {@code target}. */
    private Path resolve(Path target, String name) throws InvalidModelException {
        if (name.isEmpty()) {
            throw invalid("an entry has an empty name");
        }
        if (name.startsWith("/") || DRIVE.matcher(name).matches()) {
            throw invalid("entry '" + name + "' is an absolute path");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw invalid("entry '" + name + "' holds a backslash or NUL");
        }
        String relative = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        for (String segment : relative.split("/", -1)) {
            if (segment.equals("..")) {
                throw invalid("entry '" + name + "' escapes the target directory");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw invalid("entry '" + name + "' is not a normalised relative path");
            }
        }
        Path path = target.resolve(relative).normalize();
        if (!path.startsWith(target) || path.equals(target)) {
            throw invalid("entry '" + name + "' escapes the target directory");
        }
        return path;
    }

    private InvalidModelException invalid(String problem) {
        return new InvalidModelException(source, problem);
    }
}
