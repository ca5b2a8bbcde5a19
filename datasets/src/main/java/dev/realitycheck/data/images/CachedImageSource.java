package dev.realitycheck.data.images;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An {@link ImageSource} over a {@link DecodedCache}: the pixel file memory-mapped read-only, an
 * image a copy out of the mapping (no decoding). Files over 2 GiB are mapped as overlapping windows
 * of {@value #WINDOW} bytes plus the largest image, so every image lies whole in one window.
 * Thread-safe (absolute reads only).
 */
public final class CachedImageSource implements ImageSource {

    /** Bytes between window starts (1 GiB). */
    static final long WINDOW = 1L << 30;

    private final String fingerprint;
    private final long[] offsets;
    private final int[] widths;
    private final int[] heights;
    private final int[] labels;
    private final MappedByteBuffer[] windows;

    private CachedImageSource(String fingerprint, long[] offsets, int[] widths, int[] heights, int[] labels,
                              MappedByteBuffer[] windows) {
        this.fingerprint = fingerprint;
        this.offsets = offsets;
        this.widths = widths;
        this.heights = heights;
        this.labels = labels;
        this.windows = windows;
    }

    /** Opens the cache in {@code dir} without checking its fingerprint (see {@link DecodedCache#open}). */
    static CachedImageSource open(Path dir) throws IOException {
        Path indexFile = dir.resolve(DecodedCache.INDEX);
        List<String> lines;
        try {
            lines = Files.readAllLines(indexFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(dir + ": no decoded cache (" + DecodedCache.INDEX + " missing)");
        }
        int header = 5;
        if (lines.size() < header || !lines.get(0).equals(DecodedCache.MAGIC)
                || !lines.get(3).equals("resize " + DecodedCache.RESIZE)) {
            throw new IOException(indexFile + ": not a decoded cache of this version (prepare it again)");
        }
        String fingerprint = value(lines.get(1), "fingerprint", indexFile);
        int n = Integer.parseInt(value(lines.get(4), "images", indexFile));
        if (lines.size() != header + n) {
            throw new IOException(indexFile + ": says " + n + " images but lists " + (lines.size() - header));
        }
        long[] offsets = new long[n];
        int[] widths = new int[n];
        int[] heights = new int[n];
        int[] labels = new int[n];
        long maxImage = 0;
        long end = 0;
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(header + i).split(" ");
            offsets[i] = Long.parseLong(f[0]);
            widths[i] = Integer.parseInt(f[1]);
            heights[i] = Integer.parseInt(f[2]);
            labels[i] = Integer.parseInt(f[3]);
            long bytes = 3L * widths[i] * heights[i];
            maxImage = Math.max(maxImage, bytes);
            end = Math.max(end, offsets[i] + bytes);
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(DecodedCache.PIXELS), StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < end) {
                throw new IOException(dir.resolve(DecodedCache.PIXELS) + ": " + size + " bytes, the index needs " + end);
            }
            int count = (int) Math.max(1, (size + WINDOW - 1) / WINDOW);
            MappedByteBuffer[] windows = new MappedByteBuffer[count];
            for (int w = 0; w < count; w++) {
                long start = w * WINDOW;
                windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(size - start, WINDOW + maxImage));
            }
            return new CachedImageSource(fingerprint, offsets, widths, heights, labels, windows);
        }
    }

    private static String value(String line, String key, Path file) throws IOException {
        if (!line.startsWith(key + " ")) {
            throw new IOException(file + ": expected '" + key + " ...', got '" + line + "'");
        }
        return line.substring(key.length() + 1);
    }

    /** @return the fingerprint of the dataset the cache was prepared from */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public RgbImage read(int index) {
        byte[] rgb = new byte[3 * widths[index] * heights[index]];
        long offset = offsets[index];
        windows[(int) (offset / WINDOW)].get((int) (offset % WINDOW), rgb);
        return new RgbImage(widths[index], heights[index], rgb);
    }
}
