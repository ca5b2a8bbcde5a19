package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/ClassFileUpgrade.java}, which {@code bin/aot-cache --evaluate} runs on {@code evaluate}'s
 * class path so that its class archive keeps picocli (compiled for Java 5): run on the real picocli jar, as
 * the build runs it, with the JDK that runs the tests (24+: the class-file API).
 */
class ClassFileUpgradeTest {

    private static final Path TOOL = Path.of("..", "bin", "ClassFileUpgrade.java");

    @TempDir
    static Path out;

    private static Path picocli;
    private static Map<String, byte[]> before;
    private static Map<String, byte[]> after;
    private static String printed;

    @BeforeAll
    static void upgradePicocli() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "the class-file API is final from JDK 24 on");
        picocli = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        printed = runTool(out.resolve("lib"), picocli);
        before = entries(picocli);
        after = entries(out.resolve("lib").resolve(picocli.getFileName()));
    }

    @Test
    void picocliIsWrittenUnderItsOwnNameWithEveryClassAtVersion52() {
        assertThat(printed).contains(picocli.getFileName() + ": ");
        List<String> classes = classNames(before);
        assertThat(classes).hasSizeGreaterThan(100);
        assertThat(classes.stream().filter(n -> majorVersion(before.get(n)) < 50)).as("the input is old").isNotEmpty();
        for (String name : classes) {
            assertThat(majorVersion(after.get(name))).as(name).isEqualTo(52);
        }
    }

    @Test
    void everyOtherEntryIsCopiedByteForByte() {
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> {
            if (!classNames(before).contains(name)) {
                assertThat(after.get(name)).as(name).isEqualTo(bytes);
            }
        });
    }

    @Test
    void everyUpgradedClassPassesTheSplitVerifierAndTheParserStillWorks() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {out.resolve("lib").resolve(picocli.getFileName()).toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String name : classNames(after)) {
                Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""), false, loader);
                c.getDeclaredMethods(); // links the class: a version-52 class with wrong or missing frames throws VerifyError here
            }
            Class<?> line = loader.loadClass("picocli.CommandLine");
            Object spec = loader.loadClass("picocli.CommandLine$Model$CommandSpec").getMethod("create").invoke(null);
            Object commandLine = line.getConstructor(Object.class).newInstance(spec);
            Method getCommandSpec = line.getMethod("getCommandSpec");
            assertThat(getCommandSpec.invoke(commandLine)).isSameAs(spec);
        }
    }

    @Test
    void aJarWithoutOldClassesIsLeftOut() throws Exception {
        Path current = Path.of(ClassFileUpgradeTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = out.resolve("current.jar");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("dev/realitycheck/cli/ClassFileUpgradeTest.class"));
            zip.write(Files.readAllBytes(current.resolve("dev/realitycheck/cli/ClassFileUpgradeTest.class")));
            zip.closeEntry();
        }

        String output = runTool(out.resolve("none"), jar);

        assertThat(output).isEmpty();
        assertThat(out.resolve("none")).doesNotExist();
    }

    private static String runTool(Path outDir, Path jar) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, TOOL.toString(), outDir.toString(), jar.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the tool ends").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.trim();
    }

    /** Every file entry of the jar, read through the central directory (the tool reads the stream). */
    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
                }
            }
        }
        return entries;
    }

    /** The jar's own classes (not module-info nor META-INF's), as the tool picks them. */
    private static List<String> classNames(Map<String, byte[]> entries) {
        List<String> names = new ArrayList<>();
        for (String name : entries.keySet()) {
            if (name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/")) {
                names.add(name);
            }
        }
        return names;
    }

    /** Bytes 6-7 of a class file. */
    private static int majorVersion(byte[] classFile) {
        assertThat(Arrays.copyOf(classFile, 4)).isEqualTo(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
    }
}
