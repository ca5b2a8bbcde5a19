package dev.realitycheck.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AotCache}: a real JVM writes a class archive for a small jar as bin/aot-cache does (a training
 * start with {@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump}), starts from it, and still
 * starts, with nothing extra on its output, from a corrupt, truncated or stale archive. JDK 25+ only
 * (the build writes no archive on older ones).
 */
class AotCacheTest {

    @TempDir
    Path app;

    Path jar;

    @BeforeEach
    void packJar() throws IOException {
        assumeTrue(Runtime.version().feature() >= AotCache.FIRST_JDK, "the build writes archives on JDK 25+");
        jar = app.resolve("quarkus-run.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, AotProbe.class.getName());
        String entry = AotProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
                InputStream in = AotProbe.class.getResourceAsStream(AotProbe.class.getSimpleName() + ".class")) {
            jarOut.putNextEntry(new JarEntry(entry));
            in.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }

    @Test
    void aStartFromTheCacheUsesItAndRuns() throws Exception {
        train();
        List<String> flags = AotCache.flags(jar);
        assertThat(flags).containsExactly("-XX:SharedArchiveFile=" + AotCache.of(jar), "-Xlog:cds=off,cds+dynamic=off");

        // -Xshare:on fails the start unless the JVM maps and uses the archive
        assertThat(start(List.of("-XX:SharedArchiveFile=" + AotCache.of(jar), "-Xshare:on"))).isEqualTo("probe ok\n");
        assertThat(start(flags)).isEqualTo("probe ok\n");
    }

    @Test
    void noCacheMeansNoFlags() {
        assertThat(AotCache.flags(jar)).isEmpty();
    }

    @Test
    void aCorruptOrTruncatedCacheStillStartsWithCleanOutput() throws Exception {
        train();
        byte[] cache = Files.readAllBytes(AotCache.of(jar));
        Files.write(AotCache.of(jar), Arrays.copyOf(cache, cache.length / 2));
        assertThat(start(AotCache.flags(jar))).isEqualTo("probe ok\n");

        byte[] garbage = new byte[4096];
        new Random(17).nextBytes(garbage);
        Files.write(AotCache.of(jar), garbage);
        assertThat(AotCache.flags(jar)).isNotEmpty(); // fresh by time: the JVM's own checks must hold
        assertThat(start(AotCache.flags(jar))).isEqualTo("probe ok\n");
    }

    @Test
    void aCacheOlderThanTheApplicationIsLeftOutAndTheJvmRejectsItSilently() throws Exception {
        train();
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60))); // the jar was rebuilt
        assertThat(AotCache.flags(jar)).isEmpty();

        // forced anyway, the JVM sees the jar's changed time and starts without it
        assertThat(start(List.of("-XX:SharedArchiveFile=" + AotCache.of(jar), "-Xlog:cds=off,cds+dynamic=off")))
                .isEqualTo("probe ok\n");
    }

    @Test
    void anotherArchiveBesideItDoesNotMakeItStale() throws Exception {
        train();
        Path other = app.resolve("evaluate.aot");
        Files.writeString(other, "a JDK AOT cache that bin/bench-startup wrote later");
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(AotCache.flags(jar)).isNotEmpty();
    }

    @Test
    void anArchiveDumpedWithTheIncubatorModuleKeepsTheModuleGraphHandling() throws Exception {
        List<String> vector = List.of("--add-modules=jdk.incubator.vector");
        train(vector);
        List<String> flags = new ArrayList<>(vector);
        flags.addAll(List.of("-XX:SharedArchiveFile=" + AotCache.of(jar), "-Xshare:on", "-Xlog:cds=info"));
        // what the JDK's default archive, dumped without the module, cannot give (bin/aot-cache's reason)
        assertThat(start(flags)).contains("optimized module handling: enabled").endsWith("probe ok\n");
    }

    private void train() throws Exception {
        train(List.of());
    }

    /** As bin/aot-cache: a training start lists its classes, then the JVM dumps them with the same flags. */
    private void train(List<String> moduleFlags) throws Exception {
        Path cache = AotCache.of(jar);
        Path classes = app.resolve("classes");
        List<String> training = new ArrayList<>(moduleFlags);
        training.add("-XX:DumpLoadedClassList=" + classes);
        assertThat(start(training)).isEqualTo("probe ok\n");
        assertThat(Files.readString(classes)).contains(AotProbe.class.getName().replace('.', '/'));
        List<String> dump = new ArrayList<>(List.of(java()));
        dump.addAll(moduleFlags);
        dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classes, "-XX:SharedArchiveFile=" + cache,
                "-cp", jar.toString()));
        run(dump);
        assertThat(cache).isNotEmptyFile();
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().plusSeconds(1)));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java <flags> -jar quarkus-run.jar ok}; returns its standard output, after asserting exit 0. */
    private String start(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString(), "ok"));
        return run(command);
    }

    /** Runs {@code command} without the environment's JVM options; returns its standard output, after asserting exit 0. */
    private String run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(app.resolve("stderr.log").toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit of %s (stderr: %s)", command, Files.readString(app.resolve("stderr.log")))
                .isEqualTo(0);
        return out;
    }
}
