package dev.realitycheck.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartLintTest {

    @Test
    void chartPassesStrictLintWithDefaultValues() {
        LintResult result = HelmChart.lintStrict();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void chartPassesStrictLintWithGpuValues(@TempDir Path temp) {
        LintResult result = HelmChart.lintStrict(HelmChart.GPU_VALUES, temp);
        assertThat(result.isFailed()).as("helm lint --strict -f values-gpu.yaml: %s", result.getMessages()).isFalse();
    }

    @Test
    void chartPassesStrictLintWithEveryOptionSet(@TempDir Path temp) {
        LintResult result = HelmChart.lintStrict(HelmChart.EVERYTHING_VALUES, temp);
        assertThat(result.isFailed()).as("helm lint --strict -f values-everything.yaml: %s", result.getMessages()).isFalse();
    }

    @Test
    void strictLintFailsOnAValuesFileTheSchemaRejects(@TempDir Path temp) throws Exception {
        Path broken = temp.resolve("broken.yaml");
        java.nio.file.Files.writeString(broken, "trainer:\n  replicas: many\n");
        LintResult result = HelmChart.lintStrict(broken, temp);
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicas");
    }
}
