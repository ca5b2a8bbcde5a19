package dev.realitycheck.data.images;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * A prepared, decoded copy of an {@link ImageDataset}, so that a JPEG is decoded once rather than
 * once per epoch: every image resized so that its shorter side is {@value #SIDE}
 * ({@link ShorterSideResize}, bilinear), stored as 8-bit RGB one after the other in
 * {@value #PIXELS} (memory-mapped when read, {@link CachedImageSource}), with a small text index
 * {@value #INDEX}: a header naming the dataset's fingerprint, layout and resize, then one line per
 * image, {@code <byte offset> <width> <height> <label>}. The index is written last (and moved into
 * place), so an interrupted {@code prepare} leaves no cache that could be mistaken for a complete one.
 */
public final class DecodedCache {

    /** The shorter side of every cached image. */
    public static final int SIDE = 256;
    /** The pixel file. */
    public static final String PIXELS = "pixels.u8";
    /** The index file. */
    public static final String INDEX = "index.txt";
    /** First line of the index. */
    static final String MAGIC = "realitycheck-decoded-cache 1";
    /**
     * Where a dataset's cache goes unless told otherwise: a hidden folder in its root, which no
     * reader takes for a class or an image.
     */
    public static final String DEFAULT_DIR = ".realitycheck-cache";
    /** How the images were resized, recorded in the index. */
    static final String RESIZE = "bilinear half-pixel-centres, shorter side " + SIDE;
    /** Images decoded in parallel, then written in order. */
    private static final int CHUNK = 64;

    private DecodedCache() {
    }

    /** @return the default cache directory of {@code dataset}: {@value #DEFAULT_DIR} in its root */
    public static Path defaultDir(ImageDataset dataset) {
        return dataset.root().resolve(DEFAULT_DIR);
    }

    /** @return whether {@code dir} holds a cache (its index) */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(INDEX));
    }

    /**
     * Decodes, resizes and writes every image of {@code dataset} into {@code dir}, decoding on all
     * processors (the common fork-join pool).
     *
     * @param progress told the number of images written so far, after each chunk
     * @throws IOException if an image cannot be decoded (the message names the file) or written
     */
    public static void write(ImageDataset dataset, Path dir, IntConsumer progress) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(INDEX));
        int n = dataset.size();
        List<String> lines = new ArrayList<>(n + 8);
        lines.add(MAGIC);
        lines.add("fingerprint " + dataset.fingerprint());
        lines.add("layout " + dataset.layout());
        lines.add("resize " + RESIZE);
        lines.add("images " + n);
        long offset = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(PIXELS)), 1 << 20)) {
            for (int start = 0; start < n; start += CHUNK) {
                RgbImage[] chunk = decodeChunk(dataset, start, Math.min(n, start + CHUNK));
                for (int i = 0; i < chunk.length; i++) {
                    RgbImage image = chunk[i];
                    out.write(image.rgb());
                    lines.add(offset + " " + image.width() + " " + image.height() + " " + dataset.entries().get(start + i).label());
                    offset += image.rgb().length;
                }
                progress.accept(Math.min(n, start + CHUNK));
            }
        }
        Path tmp = dir.resolve(INDEX + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(INDEX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the cached form of one image: decoded and resized to shorter side {@value #SIDE} */
    public static RgbImage prepare(Path file) throws IOException {
        return ShorterSideResize.apply(ImageDecoder.decode(file).image(), SIDE);
    }

    private static RgbImage[] decodeChunk(ImageDataset dataset, int from, int to) throws IOException {
        try {
            return IntStream.range(from, to).parallel().mapToObj(i -> {
                try {
                    return prepare(dataset.file(i));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toArray(RgbImage[]::new);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Opens the cache in {@code dir}, refusing it if it was prepared from other data.
     *
     * @param fingerprint the dataset's current fingerprint
     * @throws IOException if the cache is missing, malformed or its fingerprint differs (prepare it again)
     */
    public static CachedImageSource open(Path dir, String fingerprint) throws IOException {
        CachedImageSource source = CachedImageSource.open(dir);
        if (!source.fingerprint().equals(fingerprint)) {
            throw new IOException(dir + ": decoded cache was prepared from different data (fingerprint " + source.fingerprint()
                    + ", the dataset's is now " + fingerprint + "): run 'realitycheck dataset prepare' again");
        }
        return source;
    }
}
