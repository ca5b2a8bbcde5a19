package dev.realitycheck.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDK's AOT cache (JEP 483/514) of a packaged application: {@code app.aot} beside its
 * {@code quarkus-run.jar}, written by the build ({@code bin/aot-cache}, JDK 25+). A start uses it
 * only while it is newer than every other file of the application; beyond that the JVM checks the
 * cache itself (class path, jar sizes and times, JDK build, header) and, when it does not match or
 * is corrupt, starts without it. {@code -Xlog:aot=off,cds=off} keeps the JVM's note about such a
 * cache off the process's output. {@code rc_aot_flags} in {@code bin/jdk.sh} does the same for
 * {@code bin/realitycheck}.
 */
public final class AotCache {

    /** The cache's file name, beside {@code quarkus-run.jar}. */
    public static final String FILE_NAME = "app.aot";

    /** The first JDK whose {@code -XX:AOTCacheOutput} the build uses to write the cache. */
    static final int FIRST_JDK = 25;

    private AotCache() {
    }

    /** {@code app.aot} beside the runner jar. */
    public static Path of(Path runnerJar) {
        return runnerJar.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /**
     * The JVM options that start {@code runnerJar} from its cache, or none when this JDK is older
     * than 25, the cache is missing, or a file of the application is newer than the cache.
     */
    public static List<String> flags(Path runnerJar) {
        Path cache = of(runnerJar);
        if (Runtime.version().feature() < FIRST_JDK || !Files.isRegularFile(cache) || !fresh(cache)) {
            return List.of();
        }
        return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off,cds=off");
    }

    private static boolean fresh(Path cache) {
        try (Stream<Path> files = Files.walk(cache.getParent())) {
            FileTime written = Files.getLastModifiedTime(cache);
            return files.filter(f -> !f.equals(cache) && Files.isRegularFile(f))
                    .noneMatch(f -> modified(f).compareTo(written) > 0);
        } catch (IOException | UncheckedIOException e) {
            return false; // an application that cannot be listed starts without the cache
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
