package dev.realitycheck.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as lower-case hex strings (64 characters), the form the checkpoint manifest
 * carries.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** @return a fresh SHA-256 {@link MessageDigest} (every Java platform has one) */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java platform lacks SHA-256, which every platform must have", e);
        }
    }

    /** @return the digest of {@code bytes} */
    public static String of(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }

    /** @return the digest of everything left in {@code in}, which is read to its end but not closed */
    public static String of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return hex(digest.digest());
    }

    /** @return the digest of the file's contents */
    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** @return {@code digest} as lower-case hex */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
