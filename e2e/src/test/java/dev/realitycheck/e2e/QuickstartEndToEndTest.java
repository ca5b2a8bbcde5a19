package dev.realitycheck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realitycheck.localstack.LocalStack;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart, through the real command-line tool (the packaged
 * {@code cli/target/quarkus-app/quarkus-run.jar}, run as {@code bin/realitycheck} runs it, each
 * command a process of its own): {@code up} (free ports, the test's small dataset as
 * {@code fashion-mnist}), a second {@code up}, {@code status}, {@code train --spec} of a tiny spec
 * (one contrastive run, 40 iterations, a checkpoint every 20), {@code results --follow --experiment}
 * (which must end by itself once both checkpoints are scored on both splits), {@code report},
 * {@code gallery}, {@code embed}, {@code search} with no {@code --server} (the addresses come from
 * the state file {@code up} wrote, found through {@code REALITYCHECK_RUN_DIR}), then {@code down}:
 * afterwards no process carries the run directory's marker.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class QuickstartEndToEndTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    private static final Path ROOT = Path.of(System.getProperty("realitycheck.repository-root", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path temp;

    /** One finished command: exit code, standard output, standard error. */
    record Result(int exitCode, String out, String err) {
        Result {
            if (out == null || err == null) {
                throw new IllegalArgumentException("out and err are required");
            }
        }
    }

    @AfterAll
    static void nothingIsLeftEvenWhenTheTestFailed() throws Exception {
        if (temp != null && Files.exists(new RunDirectory(temp.resolve("run")).stateFile())) {
            run("down"); // the test failed before its own down
        }
    }

    @Test
    void upTrainFollowReportEmbedSearchDown() throws Exception {
        Path data = TestDatasets.fashionMnistOrTiny(temp.resolve("fashion-mnist"));
        Path spec = Files.writeString(temp.resolve("tiny.json"), """
                {"name": "quickstart", "dataset": {"name": "fashion-mnist", "split": {"folds": 2, "runFolds": [0]}},
                 "settings": {"trunk": "mlp", "extra": {"mlp_hidden": 32}, "embeddingSize": 16, "batchSize": 8,
                              "mPerClass": 4, "iterations": 40, "checkpointInterval": 20},
                 "losses": [{"name": "contrastive"}], "seeds": [0]}""");
        RunDirectory dir = new RunDirectory(temp.resolve("run"));

        Result up = run("up", "--kafka-port", "0", "--trainer-port", "0", "--embedding-port", "0", "--evaluation-port", "0",
                "--timeout", "270", "--dataset", "fashion-mnist=" + data, "--service-jvm-option=-Xmx512m",
                "--service-jvm-option=-XX:TieredStopAtLevel=1");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        StackState state = StackState.read(dir.stateFile()).orElseThrow();
        String evaluation = state.service(dev.realitycheck.localstack.StackService.EVALUATION).address();
        assertThat(up.out()).contains("the local stack is up", "Kafka bootstrap      " + state.bootstrapServers(),
                "experiments page     http://" + evaluation + "/");
        assertThat(state.supervisorAlive()).isTrue();

        Result again = run("up");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).startsWith("the local stack is already up").contains(state.bootstrapServers());
        assertThat(StackState.read(dir.stateFile())).contains(state);

        Result status = run("status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).containsPattern("kafka +" + state.kafkaPid() + " +" + Pattern.quote(state.bootstrapServers()) + " +UP")
                .containsPattern("trainer-service +\\d+ +127\\.0\\.0\\.1:\\d+ +UP")
                .containsPattern("evaluation-service +\\d+ +" + Pattern.quote(evaluation) + " +UP")
                .contains("serving no checkpoint yet");

        Result train = run("train", "--spec", spec.toString(), "--settle", "0");
        assertThat(train.exitCode()).as(train.toString()).isZero();
        Matcher started = Pattern.compile("experiment (\\S+): 1 runs").matcher(train.out());
        assertThat(started.find()).as(train.out()).isTrue();
        String experiment = started.group(1);
        assertThat(train.out()).contains("1 succeeded, 0 did not");
        String runId = experiment + ".contrastive.fold0.seed0";
        assertThat(train.out()).contains(runId);

        Result results = run("results", "--follow", "--experiment", experiment);
        assertThat(results.exitCode()).as(results.toString()).isZero();
        for (String checkpoint : List.of(runId + ".it20", runId + ".it40")) {
            for (String split : List.of("validation", "test")) {
                assertThat(results.out()).containsPattern(split + " +run +" + Pattern.quote(runId) + " +it=" + checkpoint.substring(
                        checkpoint.lastIndexOf(".it") + 3) + " .*MAP@R=\\d\\.\\d{4}");
            }
        }
        assertThat(results.err()).contains("every run of " + experiment + " has ended and each of its 2 checkpoints is scored");

        Path reportDir = temp.resolve("report");
        Result report = run("report", experiment, "--out", reportDir.toString());
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.out()).contains("| contrastive |", "wrote " + reportDir.resolve("report.html"));
        assertThat(reportDir.resolve("map_at_r.png")).isNotEmptyFile();

        Result experiments = run("experiments");
        assertThat(experiments.exitCode()).as(experiments.toString()).isZero();
        assertThat(experiments.out()).containsPattern("(?m)^" + experiment + " .* done .*1/1 trained, 1/1 evaluated");

        // the embedding service (policy latest) moves to the last checkpoint by itself
        await().atMost(Duration.ofMinutes(2)).until(() -> run("status").out(), out -> out.contains("serving " + runId + ".it40"));
        Path examples = temp.resolve("examples");
        Result gallery = run("gallery", "--dataset", "fashion-mnist", "--examples", examples.toString(), "--data", data.toString());
        assertThat(gallery.exitCode()).as(gallery.toString()).isZero();
        assertThat(gallery.out()).containsPattern("gallery default: [1-9]\\d* items \\(test classes of fashion-mnist\\), "
                + "embedded by checkpoint " + Pattern.quote(runId + ".it40"));
        Path query;
        try (Stream<Path> pngs = Files.list(examples)) {
            query = pngs.filter(p -> p.toString().endsWith(".png")).sorted().reduce((a, b) -> b).orElseThrow();
        }

        Result embed = run("embed", query.toString());
        assertThat(embed.exitCode()).as(embed.toString()).isZero();
        assertThat(embed.err()).contains("checkpoint " + runId + ".it40, 1 vectors");
        assertThat(embed.out().strip()).startsWith(query + "\t");
        assertThat(embed.out().strip().split("\t")[1].split(" ")).hasSize(16);

        Result search = run("search", query.toString(), "--k", "3");
        assertThat(search.exitCode()).as(search.toString()).isZero();
        assertThat(search.out()).contains(query + " (checkpoint " + runId + ".it40, gallery default of ");
        assertThat(search.out().lines().filter(l -> l.matches(" +[012] +fashion-mnist/\\d+ .*"))).hasSize(3);
        // the query is a test-class image, so the gallery holds it: rank 0, its own class, distance 0
        String queryClass = query.getFileName().toString().replace(".png", "");
        assertThat(search.out()).containsPattern(" +0 +fashion-mnist/\\d+ +label " + queryClass + " +0\\.0000\\d\\d\\n");

        List<ProcessHandle> stack = new ArrayList<>();
        ProcessHandle.of(state.supervisorPid()).ifPresent(s -> {
            stack.add(s);
            s.descendants().forEach(stack::add);
        });
        assertThat(stack).hasSizeGreaterThanOrEqualTo(5);
        Result down = run("down");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(down.out()).contains("nothing of the local stack is left running");
        assertThat(stack).as("every process of the stack is gone").noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(dir.marker())))
                .as("no process carries the run directory's marker").isEmpty();
        assertThat(dir.stateFile()).doesNotExist();
        Result downAgain = run("down");
        assertThat(downAgain.exitCode()).isZero();
        assertThat(downAgain.out()).contains("the local stack is not running");
    }

    /** Runs {@code bin/realitycheck ARGS} as bin/realitycheck does, with the test's run directory. */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LocalStack.jvmFlags());
        command.add("-Drealitycheck.home=" + ROOT);
        command.add("-jar");
        command.add(ROOT.resolve("cli/target/quarkus-app/quarkus-run.jar").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("REALITYCHECK_RUN_DIR", temp.resolve("run").toString());
        pb.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        Process p = pb.start();
        if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT + ": "
                    + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        System.out.println("$ realitycheck " + String.join(" ", args) + "   (exit " + r.exitCode() + ")\n" + r.out() + r.err());
        return r;
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.ofNullable(p.info().commandLine().orElse(null)).orElse("");
        }
    }
}
