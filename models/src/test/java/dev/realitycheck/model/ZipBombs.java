package dev.realitycheck.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zip bombs for tests of the archive limits (shared with other modules' tests through the test-jar). */
public final class ZipBombs {

    private ZipBombs() {
    }

    /**
     * One DEFLATE entry {@code saved_model.pb} of {@code bytes} zeros: about a thousandth of that
     * packed (512 MiB in about 0.5 MB).
     */
    public static byte[] zeros(long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(bytes, out);
        return out.toByteArray();
    }

    /** {@link #zeros(long)} written to {@code file}. */
    public static Path zeros(long bytes, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(bytes, out);
        }
        return file;
    }

    private static void write(long bytes, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("saved_model.pb"));
            byte[] zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
            zip.closeEntry();
        }
    }
}
