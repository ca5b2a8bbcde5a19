package dev.realitycheck.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real Dockerfiles in deploy/docker follow the rules, and the build script builds what the chart deploys. */
class ServiceImagesTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = REPO.resolve("deploy/docker");

    @Test
    void everyServiceImageFollowsTheRules() throws IOException {
        for (String service : List.of("trainer-service", "embedding-service", "evaluation-service")) {
            Dockerfile dockerfile = Dockerfile.parse(DOCKER.resolve(service + ".Dockerfile"));
            assertThat(DockerfileRules.problems(dockerfile, REPO, service)).as(service).isEmpty();
            assertThat(dockerfile.all("FROM").getFirst().words().getFirst()).startsWith("eclipse-temurin:25-jre");
        }
    }

    @Test
    void theGpuTrainerImageFollowsTheRulesOnACudaBaseWithTheTemurinJre() throws IOException {
        Dockerfile gpu = Dockerfile.parse(DOCKER.resolve("trainer-service-gpu.Dockerfile"));
        assertThat(DockerfileRules.problems(gpu, REPO, "trainer-service")).isEmpty();
        DockerInstruction base = gpu.finalStage().getFirst();
        assertThat(base.words().getFirst()).startsWith("nvidia/cuda:12.").contains("cudnn-runtime");
        assertThat(gpu.all("COPY")).anyMatch(c -> c.flags().getOrDefault("from", "").equals("jre")
                && c.words().equals(List.of("/opt/java/openjdk", "/opt/java/openjdk")));
    }

    @Test
    void theGpuProfileSwapsInTensorFlowsCudaRuntime() throws IOException {
        String pom = Files.readString(REPO.resolve("pom.xml"));
        assertThat(pom).containsPattern("<id>gpu</id>\\s*<properties>\\s*<tensorflow.native.classifier>linux-x86_64-gpu<");
    }

    @Test
    void theBuildScriptPackagesThenBuildsEveryImageTheChartNames() throws Exception {
        Process process = new ProcessBuilder(DOCKER.resolve("build").toString(), "--dry-run", "--gpu", "--registry", "reg.example.com", "--tag", "t1",
                        "--push")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(out).isZero();
        List<String> commands = out.lines().toList();
        assertThat(commands).containsSubsequence(
                "+ ./mvnw -B -pl trainer-service,embedding-service,evaluation-service -am package -DskipTests",
                "+ docker build -f deploy/docker/trainer-service.Dockerfile -t reg.example.com/realitycheck/trainer-service:t1 .",
                "+ docker build -f deploy/docker/embedding-service.Dockerfile -t reg.example.com/realitycheck/embedding-service:t1 .",
                "+ docker build -f deploy/docker/evaluation-service.Dockerfile -t reg.example.com/realitycheck/evaluation-service:t1 .",
                "+ ./mvnw -B -Pgpu -pl trainer-service -am package -DskipTests",
                "+ docker build -f deploy/docker/trainer-service-gpu.Dockerfile -t reg.example.com/realitycheck/trainer-service-gpu:t1 .",
                "+ docker push reg.example.com/realitycheck/trainer-service-gpu:t1");
        assertThat(commands.getLast()).as("the chart values that deploy the pushed images")
                .contains("--set image.registry=reg.example.com", "--set trainer.image.tag=t1",
                        "--set embedding.image.digest=sha256:<digest>", "--set evaluation.image.tag=t1",
                        "--set trainer.image.gpuDigest=sha256:<digest>");
        String values = Files.readString(REPO.resolve("k8s/realitycheck/values.yaml"));
        for (String repository : List.of("realitycheck/trainer-service", "realitycheck/trainer-service-gpu",
                "realitycheck/embedding-service", "realitycheck/evaluation-service")) {
            assertThat(values).containsPattern("(?m)^    (gpuR|r)epository: " + repository + "$");
        }
    }
}
