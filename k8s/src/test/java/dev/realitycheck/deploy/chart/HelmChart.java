package dev.realitycheck.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart in {@code k8s/realitycheck}, driven by real Helm (helm-java embeds Helm as a native
 * library: no binary, no cluster, no network).
 */
final class HelmChart {

    /** The chart's directory; tests run in the module directory ({@code k8s/}). */
    static final Path DIR = Path.of("realitycheck").toAbsolutePath();

    static final Path GPU_VALUES = DIR.resolve("values-gpu.yaml");

    /** Every option of the chart set at once: images with registries and digests, data set, ingress, tests, TLS + SASL. */
    static final Path EVERYTHING_VALUES = Path.of("src/test/resources/chart/values-everything.yaml").toAbsolutePath();

    /** Kubernetes version the chart is rendered for (helm template otherwise assumes v1.20). */
    static final String KUBE_VERSION = "v1.33.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private HelmChart() {
    }

    /** Renders the chart as release "rc" in namespace "ml" with the given values files and --set values. */
    static String template(Map<String, Object> set, Path... valuesFiles) {
        return template(DIR, set, valuesFiles);
    }

    /**
     * Like {@link #template(Map, Path...)}, with the {@code helm test} hooks among the objects:
     * helm-java's template leaves every hook out, so the chart is copied to {@code tempDir} with the
     * annotation keys {@code helm.sh/hook*} renamed to {@value #HOOK_ANNOTATION}*, which makes the
     * hook Pods plain objects of the manifest.
     */
    static String templateWithHooks(Path tempDir, Map<String, Object> set, Path... valuesFiles) {
        Path copy = copy(tempDir);
        try (Stream<Path> files = Files.walk(copy.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.writeString(file, Files.readString(file).replace("helm.sh/hook", HOOK_ANNOTATION));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return template(copy, set, valuesFiles);
    }

    /** What a hook annotation key starts with in {@link #templateWithHooks}' output. */
    static final String HOOK_ANNOTATION = "test.realitycheck.dev/hook";

    /** The text of NOTES.txt as {@code helm install --dry-run} (client only) prints it. */
    static String notes(Map<String, Object> set, Path... valuesFiles) {
        InstallCommand install = new Helm(DIR).install().withName("rc").withNamespace("ml").withKubeVersion(KUBE_VERSION)
                .dryRun().clientOnly();
        for (Path file : valuesFiles) {
            install = install.withValuesFile(file);
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            install = install.set(e.getKey(), e.getValue());
        }
        String output = install.call().getOutput();
        int notes = output.indexOf("NOTES:");
        return notes < 0 ? "" : output.substring(notes);
    }

    private static String template(Path chart, Map<String, Object> set, Path... valuesFiles) {
        TemplateCommand template = new Helm(chart).template().withName("rc").withNamespace("ml").withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            template = template.withValuesFile(file);
        }
        for (Map.Entry<String, Object> e : set.entrySet()) {
            template = template.set(e.getKey(), e.getValue());
        }
        return template.call();
    }

    /** {@code helm lint --strict} of the chart with the default values. */
    static LintResult lintStrict() {
        return new Helm(DIR).lint().strict().call();
    }

    /**
     * {@code helm lint --strict} with {@code overlay} merged over values.yaml: helm-java's lint takes
     * no values file, so the chart is copied to {@code tempDir} with the merged values.yaml.
     */
    static LintResult lintStrict(Path overlay, Path tempDir) {
        try {
            Path copy = copy(tempDir);
            ObjectNode values = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
            JsonNode merged = YAML.readerForUpdating(values).readValue(overlay.toFile());
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the chart to {@code tempDir/realitycheck}. */
    private static Path copy(Path tempDir) {
        Path copy = tempDir.resolve("realitycheck");
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }
}
