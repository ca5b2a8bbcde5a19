package dev.realitycheck.knn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VectorApiTest {

    @Test
    void theTestJvmHasTheModuleAndGetsTheVectorKernels() {
        // surefire runs with --add-modules=jdk.incubator.vector, like every JVM of the project
        assertThat(VectorApi.present()).isTrue();
        assertThat(DotKernel.best()).isInstanceOf(VectorDotKernel.class);
        assertThat(RowKernel.best()).isInstanceOf(VectorRowKernel.class);
    }

    @Test
    void aVectorFormThatDoesNotLinkGivesTheFallback() {
        assertThat(VectorApi.<String>orElse(() -> "vector", () -> "scalar")).isEqualTo("vector");
        assertThat(VectorApi.<String>orElse(() -> {
            throw new NoClassDefFoundError("jdk/incubator/vector/FloatVector");
        }, () -> "scalar")).isEqualTo("scalar");
    }

    @Test
    void aJvmWithoutTheModuleGetsTheScalarKernels() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!ended) {
            child.destroyForcibly();
        }
        assertThat(ended).as("the child JVM ended within 60 s").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output.lines().toList()).containsExactly("false", "scalar-fma", ScalarRowKernel.class.getName());
    }

    /** Run without {@code --add-modules=jdk.incubator.vector}: prints what this JVM picks. */
    static final class Probe {

        public static void main(String[] args) {
            for (String line : List.of(String.valueOf(VectorApi.present()), DotKernel.best().description(),
                    RowKernel.best().getClass().getName())) {
                System.out.println(line);
            }
        }
    }
}
