package dev.realitycheck.model;

/**
 * Bounds on what {@link SavedModelArchive#unpack} writes, so that a hostile or broken archive
 * cannot fill the disk (a "zip bomb") or the inode table.
 *
 * @param maxEntries    the most entries (files and directories) accepted; positive
 * @param maxTotalBytes the most bytes written in all, counted as they are decompressed (declared
 *                      sizes are not trusted); positive
 */
public record ArchiveLimits(int maxEntries, long maxTotalBytes) {

    /**
     * 1,000 entries and 4 GiB: far beyond a SavedModel of this project (4 files; a 100 MB model
     * is about 100 MB unpacked).
     */
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(1_000, 4L << 30);

    /** Validates the bounds. */
    public ArchiveLimits {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
        }
        if (maxTotalBytes <= 0) {
            throw new IllegalArgumentException("maxTotalBytes must be positive, was " + maxTotalBytes);
        }
    }
}
