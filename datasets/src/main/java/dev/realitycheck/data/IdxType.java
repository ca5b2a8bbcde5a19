package dev.realitycheck.data;

import java.util.Optional;

/** The element types of the IDX format, identified by the third byte of the magic number. */
public enum IdxType {
    /** 0x08: unsigned byte, the type of MNIST and Fashion-MNIST images and labels. */
    UNSIGNED_BYTE(0x08, 1),
    /** 0x09: signed byte. */
    SIGNED_BYTE(0x09, 1),
    /** 0x0B: big-endian 16-bit signed integer. */
    SHORT(0x0B, 2),
    /** 0x0C: big-endian 32-bit signed integer. */
    INT(0x0C, 4),
    /** 0x0D: big-endian IEEE 754 single precision. */
    FLOAT(0x0D, 4),
    /** 0x0E: big-endian IEEE 754 double precision. */
    DOUBLE(0x0E, 8);

    private final int code;
    private final int itemSize;

    IdxType(int code, int itemSize) {
        this.code = code;
        this.itemSize = itemSize;
    }

    /** @return the type code in the magic number */
    public int code() {
        return code;
    }

    /** @return bytes per element */
    public int itemSize() {
        return itemSize;
    }

    /** @return whether the type holds integers */
    public boolean isInteger() {
        return this != FLOAT && this != DOUBLE;
    }

    /**
     * @param code the third byte of an IDX magic number
     * @return the type with that code, if any
     */
    public static Optional<IdxType> fromCode(int code) {
        for (IdxType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** @return e.g. {@code "unsigned byte (0x08)"} */
    public String describe() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + String.format(" (0x%02X)", code);
    }
}
