package dev.realitycheck.model;

/**
 * Bounds on what {@link SavedModelArchive#unpack} writes, so that a hostile or broken archive
 * cannot fill the disk (a "zip bomb") or the inode table. All are checked while the archive
 * streams, on the bytes actually read and written; the sizes an entry's header declares are never
 * trusted.
 *
 * @param maxEntries          the most entries (files and directories) accepted; positive
 * @param maxTotalBytes       the most bytes written in all, counted as they are decompressed;
 *                            positive
 * @param maxCompressionRatio the most bytes written per archive byte read so far (checked once more
 *                            than {@link #RATIO_GRACE_BYTES} are written, so tiny files of zeros
 *                            pass); at least 1
 */
public record ArchiveLimits(int maxEntries, long maxTotalBytes, int maxCompressionRatio) {

    /** Bytes written before the compression ratio is checked at all: 1 MiB. */
    public static final long RATIO_GRACE_BYTES = 1L << 20;

    /**
     * 1,000 entries, 4 GiB and a ratio of 100: far beyond a SavedModel of this project (4 files,
     * packed STORED, so its ratio is about 1; a 100 MB model is about 100 MB unpacked), while a
     * DEFLATE bomb (ratio about 1,000) stops after its first MiBs.
     */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(1_000, 4L << 30, 100);

    /** Validates the bounds. */
    public ArchiveLimits {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        if (maxTotalBytes <= 0) {
            throw new IllegalArgumentException("maxTotalBytes must be positive, was " + maxTotalBytes);
        }
        if (maxCompressionRatio < 1) {
            throw new IllegalArgumentException("maxCompressionRatio must be at least 1, was " + maxCompressionRatio);
        }
    }
}
