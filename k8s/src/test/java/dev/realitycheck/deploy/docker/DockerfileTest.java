package dev.realitycheck.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileTest {

    private static final Path PATH = Path.of("Dockerfile");

    @Test
    void continuationLinesAreJoinedAndCommentsInsideThemDropped() {
        Dockerfile d = Dockerfile.parse(PATH, """
                # syntax=docker/dockerfile:1
                FROM debian:13
                RUN apt-get update \\
                # a comment inside the continuation
                    && apt-get install -y curl
                USER 10001
                """);
        assertThat(d.instructions()).extracting(DockerInstruction::keyword).containsExactly("FROM", "RUN", "USER");
        DockerInstruction run = d.instructions().get(1);
        assertThat(run.arguments()).isEqualTo("apt-get update && apt-get install -y curl");
        assertThat(run.line()).isEqualTo(3);
        assertThat(d.instructions().get(2).line()).isEqualTo(6);
    }

    @Test
    void execFormIsAJsonArrayAndShellFormIsNot() {
        Dockerfile d = Dockerfile.parse(PATH, """
                FROM a:1
                ENTRYPOINT ["java", "-jar", "/app.jar"]
                CMD java -jar /app.jar
                HEALTHCHECK --interval=5s CMD ["bash", "-c", "true"]
                ENTRYPOINT [java -jar]
                """);
        assertThat(d.instructions().get(1).execForm()).contains(List.of("java", "-jar", "/app.jar"));
        assertThat(d.instructions().get(2).execForm()).isEmpty();
        assertThat(d.instructions().get(3).execForm()).contains(List.of("bash", "-c", "true"));
        assertThat(d.instructions().get(3).flags()).containsEntry("interval", "5s");
        assertThat(d.instructions().get(4).execForm()).as("not valid JSON: Docker runs it as shell").isEmpty();
    }

    @Test
    void flagsAreSeparatedFromWords() {
        DockerInstruction copy = Dockerfile.parse(PATH, "COPY --from=jre --chown=1:1 /opt/java /opt/java\n").instructions().getFirst();
        assertThat(copy.flags()).containsEntry("from", "jre").containsEntry("chown", "1:1");
        assertThat(copy.words()).containsExactly("/opt/java", "/opt/java");
    }

    @Test
    void theFinalStageStartsAtTheLastFrom() {
        Dockerfile d = Dockerfile.parse(PATH, "FROM a:1 AS build\nUSER 0\nFROM b:2\nUSER 10001\n");
        assertThat(d.finalStage()).extracting(DockerInstruction::arguments).containsExactly("b:2", "10001");
    }

    @Test
    void anotherEscapeCharacterIsRefused() {
        assertThatThrownBy(() -> Dockerfile.parse(PATH, "# escape=`\nFROM a:1\n")).hasMessageContaining("escape directive '`'");
    }

    @Test
    void aDanglingContinuationIsRefused() {
        assertThatThrownBy(() -> Dockerfile.parse(PATH, "FROM a:1\nRUN true \\\n")).hasMessageContaining("continuation");
    }
}
