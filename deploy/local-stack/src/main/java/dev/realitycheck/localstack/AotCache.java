package dev.realitycheck.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class archive of a packaged application: a static CDS archive (JEP 310) of the classes a
 * training start loaded, {@code app.jsa} beside its {@code quarkus-run.jar}, written by the build
 * ({@code bin/aot-cache}, JDK 25+) with the start's own module flags. A start uses it only while it is
 * newer than every other file of the application (archives beside it aside); beyond that the JVM
 * checks the archive itself (class path, jar sizes and times, module flags, JDK build, header) and,
 * when it does not match or is corrupt, starts without it. {@code -Xlog:cds=off,cds+dynamic=off} keeps
 * the JVM's note about such an archive off the process's output. {@code rc_aot_flags} in
 * {@code bin/jdk.sh} does the same for {@code bin/realitycheck}. Neither the JDK 25 AOT cache (JEP 483)
 * nor a dynamic archive (JEP 350), which the build wrote before: with the incubator module that every
 * process loads, the JVM uses none of the AOT cache's linked classes or profiles, and a dynamic archive
 * sits on the JDK's default one, dumped without that module, so each start resolved the module graph
 * again ({@code docs/benchmarks.md}, "Start-up").
 */
public final class AotCache {

    /** The archive's file name, beside {@code quarkus-run.jar}. */
    public static final String FILE_NAME = "app.jsa";

    /** The first JDK the build writes the archive with: the one it is measured and tested on. */
    static final int FIRST_JDK = 25;

    private AotCache() {
    }

    /** {@code app.jsa} beside the runner jar. */
    public static Path of(Path runnerJar) {
        return runnerJar.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /**
     * The JVM options that start {@code runnerJar} from its archive, or none when this JDK is older
     * than 25, the archive is missing, or a file of the application is newer than the archive.
     */
    public static List<String> flags(Path runnerJar) {
        Path cache = of(runnerJar);
        if (Runtime.version().feature() < FIRST_JDK || !Files.isRegularFile(cache) || !fresh(cache)) {
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + cache, "-Xlog:cds=off,cds+dynamic=off");
    }

    private static boolean fresh(Path cache) {
        try (Stream<Path> files = Files.walk(cache.getParent())) {
            FileTime written = Files.getLastModifiedTime(cache);
            return files.filter(f -> !isArchive(f) && Files.isRegularFile(f))
                    .noneMatch(f -> modified(f).compareTo(written) > 0);
        } catch (IOException | UncheckedIOException e) {
            return false; // an application that cannot be listed starts without the archive
        }
    }

    /** This archive, another beside it, or a JDK AOT cache that {@code bin/bench-startup} wrote to compare. */
    private static boolean isArchive(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsa") || name.endsWith(".aot");
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
