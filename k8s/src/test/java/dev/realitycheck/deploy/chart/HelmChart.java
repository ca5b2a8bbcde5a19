package dev.realitycheck.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
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

    /** Kubernetes version the chart is rendered for (helm template otherwise assumes v1.20). */
    static final String KUBE_VERSION = "v1.33.0";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private HelmChart() {
    }

    /** Renders the chart as release "rc" in namespace "ml" with the given values files and --set values. */
    static String template(Map<String, Object> set, Path... valuesFiles) {
        TemplateCommand template = new Helm(DIR).template().withName("rc").withNamespace("ml").withKubeVersion(KUBE_VERSION);
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
            }
            ObjectNode values = (ObjectNode) YAML.readTree(DIR.resolve("values.yaml").toFile());
            JsonNode merged = YAML.readerForUpdating(values).readValue(overlay.toFile());
            YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
