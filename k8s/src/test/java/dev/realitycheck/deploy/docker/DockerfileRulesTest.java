package dev.realitycheck.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule bites: a good file passes, and each deliberate mistake is reported with its line. */
class DockerfileRulesTest {

    private static final String GOOD = """
            FROM eclipse-temurin:25-jre-noble
            WORKDIR /deployments
            COPY svc/target/quarkus-app/lib/ /deployments/lib/
            COPY svc/target/quarkus-app/quarkus-run.jar /deployments/quarkus-run.jar
            COPY svc/target/quarkus-app/app/ /deployments/app/
            COPY svc/target/quarkus-app/quarkus/ /deployments/quarkus/
            EXPOSE 8089
            USER 10001:10001
            HEALTHCHECK --interval=30s CMD ["bash", "-c", "true"]
            ENTRYPOINT ["java", "-Djava.io.tmpdir=/tmp", "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp", "-jar", "/deployments/quarkus-run.jar"]
            """;

    @TempDir
    Path repo;

    @BeforeEach
    void serviceModule() throws IOException {
        Files.createDirectories(repo.resolve("svc/src/main/resources"));
        Files.writeString(repo.resolve("svc/pom.xml"), "<project/>");
        Files.writeString(repo.resolve("svc/src/main/resources/application.properties"), "quarkus.http.port=8089\n");
    }

    private List<String> problems(String text) throws IOException {
        Path file = Files.writeString(repo.resolve("svc.Dockerfile"), text);
        return DockerfileRules.problems(Dockerfile.parse(file), repo, "svc");
    }

    @Test
    void aGoodDockerfileHasNoProblems() throws IOException {
        assertThat(problems(GOOD)).isEmpty();
    }

    @Test
    void latestOrMissingTagsAreNotPinned() throws IOException {
        assertThat(problems(GOOD.replace("eclipse-temurin:25-jre-noble", "eclipse-temurin:latest")))
                .singleElement().asString().contains("svc.Dockerfile:1", "uses the tag latest");
        assertThat(problems(GOOD.replace("eclipse-temurin:25-jre-noble", "registry:5000/temurin")))
                .singleElement().asString().contains("has no tag");
        assertThat(problems(GOOD.replace("eclipse-temurin:25-jre-noble", "temurin@sha256:" + "a".repeat(64)))).isEmpty();
    }

    @Test
    void rootNamedOrMissingUsersAreReported() throws IOException {
        assertThat(problems(GOOD.replace("USER 10001:10001", "USER 0"))).singleElement().asString().contains(":8:", "root");
        assertThat(problems(GOOD.replace("USER 10001:10001", "USER app"))).singleElement().asString().contains("not numeric");
        assertThat(problems(GOOD.replace("USER 10001:10001\n", ""))).singleElement().asString().contains("no USER");
    }

    @Test
    void aUserOnlyInAnEarlierStageDoesNotCount() throws IOException {
        String twoStages = "FROM busybox:1.37 AS tools\nUSER 10001\n" + GOOD.replace("USER 10001:10001\n", "");
        assertThat(problems(twoStages)).singleElement().asString().contains("no USER");
    }

    @Test
    void addingAUrlIsReported() throws IOException {
        assertThat(problems(GOOD.replace("WORKDIR /deployments", "ADD https://example.com/agent.jar /opt/agent.jar")))
                .singleElement().asString().contains(":2:", "remote source https://example.com/agent.jar");
    }

    @Test
    void copiesOutsideTheFastJarLayoutOrMissingPartsAreReported() throws IOException {
        assertThat(problems(GOOD.replace("svc/target/quarkus-app/app/", "svc/target/classes/")))
                .hasSize(2).anyMatch(p -> p.contains("svc/target/classes/ is not part of")).anyMatch(p -> p.contains("lacks [app/]"));
    }

    @Test
    void aCopySourceMissingFromThePackagedServiceIsReported() throws IOException {
        Path app = repo.resolve("svc/target/quarkus-app");
        for (String part : List.of("lib", "app", "quarkus")) {
            Files.createDirectories(app.resolve(part));
        }
        assertThat(problems(GOOD)).singleElement().asString().contains("quarkus-run.jar does not exist");
        Files.writeString(app.resolve("quarkus-run.jar"), "");
        assertThat(problems(GOOD)).isEmpty();
    }

    @Test
    void anExposedPortOtherThanTheServicesIsReported() throws IOException {
        assertThat(problems(GOOD.replace("EXPOSE 8089", "EXPOSE 8080"))).singleElement().asString()
                .contains("EXPOSE [8080] but svc listens on quarkus.http.port=8089");
    }

    @Test
    void aMissingHealthcheckIsReported() throws IOException {
        assertThat(problems(GOOD.replaceAll("HEALTHCHECK .*\\n", ""))).singleElement().asString().contains("no HEALTHCHECK");
    }

    @Test
    void aShellFormEntrypointIsReported() throws IOException {
        assertThat(problems(GOOD.replaceAll("ENTRYPOINT .*\\n",
                "ENTRYPOINT java -Djava.io.tmpdir=/tmp -jar /deployments/quarkus-run.jar\n")))
                .singleElement().asString().contains(":10:", "shell form");
    }

    @Test
    void anEntrypointWithoutTheWritableTempDirectoriesIsReported() throws IOException {
        assertThat(problems(GOOD.replace("\"-Djava.io.tmpdir=/tmp\", \"-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp\", ", "")))
                .hasSize(2).anyMatch(p -> p.contains("java.io.tmpdir")).anyMatch(p -> p.contains("JavaCPP"));
    }
}
