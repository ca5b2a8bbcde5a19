package dev.realitycheck.data.images;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The content fingerprint of an image dataset: SHA-256 over its layout and the sorted list of its
 * files' relative paths and byte sizes, shortened to {@value #HEX_DIGITS} hex digits. It changes
 * when a file is added, removed, renamed or changes size, not when the dataset moves; it does not
 * read the images, so it is cheap even for Stanford Online Products.
 */
public final class DatasetFingerprint {

    /** Length of the hex string (64 bits). */
    public static final int HEX_DIGITS = 16;

    private DatasetFingerprint() {
    }

    /** @return the fingerprint of {@code entries} read as {@code layout} */
    public static String of(ImageLayout layout, List<ImageEntry> entries) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update((layout.name() + "\n").getBytes(StandardCharsets.UTF_8));
        entries.stream().sorted(Comparator.comparing(ImageEntry::path))
                .forEach(e -> sha.update((e.path() + "\t" + e.bytes() + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha.digest()).substring(0, HEX_DIGITS);
    }
}
