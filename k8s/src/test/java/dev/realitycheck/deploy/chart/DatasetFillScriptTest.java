package dev.realitycheck.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the data set fill Job's script, as the chart renders it, on this machine: with
 * {@code datasets.fill.url} a {@code file://} directory, apt's own downloader (the one the Job uses)
 * fetches the four IDX files into place; a second run finds them and does nothing; a partial
 * directory is replaced. The Debian-package path needs a Debian mirror and runs only in a cluster
 * (it was tried by hand: see docs/kubernetes.md).
 */
class DatasetFillScriptTest {

    private static final Path APT_HELPER = Path.of("/usr/lib/apt/apt-helper");

    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    @Test
    void theJobsScriptFetchesTheFourFilesFromAUrlOnceAndAtomically(@TempDir Path temp) throws Exception {
        assumeTrue(Files.isExecutable(APT_HELPER), "needs apt's apt-helper (Debian or Ubuntu), as the Job's image has");
        Path source = Files.createDirectories(temp.resolve("mirror"));
        for (String file : FILES) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(source.resolve(file)))) {
                out.write(file.getBytes(StandardCharsets.UTF_8));
            }
        }
        String url = source.toUri().toString();
        JsonNode job = RenderedObjects.parse(HelmChart.template(Map.of("datasets.fill.url", url)))
                .get("Job", "rc-realitycheck-datasets-fill-1");
        JsonNode container = RenderedObjects.container(job);
        String script = container.at("/command/2").asText();
        assertThat(container.at("/command/0").asText()).isEqualTo("/bin/sh");
        Path target = temp.resolve("data/fashion-mnist");
        Files.createDirectories(target);
        Files.writeString(target.resolve(FILES.getFirst()), "partial");

        String first = run(script, target, url, temp.resolve("work"));
        assertThat(first).contains("fill: downloading " + url + FILES.getFirst(), "ready");
        for (String file : FILES) {
            assertThat(gunzip(target.resolve(file))).as(file).isEqualTo(file);
            assertThat(Files.isSymbolicLink(target.resolve(file))).isFalse();
        }
        assertThat(temp.resolve("data/.fill-fashion-mnist")).doesNotExist();
        assertThat(temp.resolve("work")).doesNotExist();

        String second = run(script, target, url, temp.resolve("work"));
        assertThat(second).contains("already holds the four IDX files; nothing to do").doesNotContain("downloading");
    }

    private static String run(String script, Path target, String url, Path work) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-ec", script).redirectErrorStream(true);
        builder.environment().put("DATASET_DIR", target.toString());
        builder.environment().put("SOURCE_URL", url);
        builder.environment().put("WORK_DIR", work.toString());
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        process.getInputStream().transferTo(output);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static String gunzip(Path file) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
