package dev.realitycheck.data.glyphs;

import dev.realitycheck.data.MnistDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The glyph dataset materialised once per font set and parameters, in
 * {@code <root>/<key>/} where the key is a SHA-256 over the format version, the parameters, the
 * Java version (its font scaler draws the outlines) and every font file's path, size and contents: the same fonts give the same directory, a changed
 * font a new one. The directory is written under a temporary name and renamed when complete, so
 * concurrent processes never read half a dataset.
 *
 * <p>The root is the system property {@value #CACHE_PROPERTY}, else
 * {@code $XDG_CACHE_HOME/realitycheck/glyphs}, else {@code ~/.cache/realitycheck/glyphs}.
 */
public final class GlyphCache {

    /** System property naming the cache root. */
    public static final String CACHE_PROPERTY = "realitycheck.glyphs.cache";

    /** Bump when the drawing changes, so old caches are not reused. */
    static final String FORMAT = "glyphs-v1";

    private GlyphCache() {
    }

    /** The default cache root (see the class comment). */
    public static Path defaultRoot() {
        return defaultRoot(System.getProperty(CACHE_PROPERTY), System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultRoot(String property, Map<String, String> env, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
        return base.resolve("realitycheck").resolve("glyphs");
    }

    /**
     * The dataset's directory under {@code root}, generated first if it is not there.
     *
     * @param params fonts and counts
     * @param root   the cache root
     * @return an MNIST-layout directory
     * @throws java.nio.file.NoSuchFileException if a font directory is missing
     * @throws IOException if fonts cannot be read or the directory cannot be written
     */
    public static Path materialise(GlyphParams params, Path root) throws IOException {
        List<Path> fonts = FontCatalog.fontFiles(params.fontDirectories());
        Path dir = root.resolve(key(params, fonts));
        if (MnistDirectory.isComplete(dir) && Files.isRegularFile(dir.resolve(GlyphFiles.CLASSES_FILE))) {
            return dir;
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempDirectory(root, ".tmp-");
        try {
            GlyphFiles.write(GlyphDataset.generate(params), tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another process may have finished the same directory first
                if (!MnistDirectory.isComplete(dir)) {
                    throw e;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return dir;
    }

    /** The default parameters in the default root. */
    public static Path materialiseDefault() throws IOException {
        return materialise(GlyphParams.defaults(), defaultRoot());
    }

    static String key(GlyphParams params, List<Path> fonts) throws IOException {
        MessageDigest all = sha256();
        all.update((FORMAT + "\n" + params.key() + "\njava " + System.getProperty("java.version") + "\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Path font : fonts) {
            all.update((font + "\t" + Files.size(font) + "\t" + fontDigest(font) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(all.digest()).substring(0, 16);
    }

    /** A font file as last hashed: a changed size or modification time hashes it again. */
    private record FontStamp(Path font, long size, FileTime modified) {
    }

    /** Per-process memo of font digests: a spec validation loads the glyphs once per loss row. */
    private static final Map<FontStamp, String> DIGESTS = new ConcurrentHashMap<>();

    private static String fontDigest(Path font) throws IOException {
        FontStamp stamp = new FontStamp(font, Files.size(font), Files.getLastModifiedTime(font));
        String known = DIGESTS.get(stamp);
        if (known != null) {
            return known;
        }
        MessageDigest one = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new DigestInputStream(Files.newInputStream(font), one)) {
            while (in.read(buffer) >= 0) {
                // digesting
            }
        }
        String digest = HexFormat.of().formatHex(one.digest());
        DIGESTS.put(stamp, digest);
        return digest;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
