package dev.realitycheck.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What packing a model produced: the SHA-256 and length of the archive bytes, as the checkpoint
 * manifest carries them.
 *
 * @param sha256    lower-case hex SHA-256 of the archive, 64 characters
 * @param byteSize  the archive's length in bytes; positive
 */
public record PackedModel(String sha256, long byteSize) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the digest's form and the size. */
    public PackedModel {
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, was '" + sha256 + "'");
        }
        if (byteSize <= 0) {
            throw new IllegalArgumentException("byteSize must be positive, was " + byteSize);
        }
    }
}
