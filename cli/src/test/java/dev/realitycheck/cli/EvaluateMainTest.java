package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realitycheck.data.Npy;
import dev.realitycheck.data.SyntheticClusters;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate} as {@code bin/realitycheck} runs it now, without Quarkus
 * ({@link EvaluateCommand#main}'s command line): the same metrics as the engine, the user-facing
 * name in its usage, the input errors' exit code. {@link EvaluateCommandTest} covers the Quarkus
 * command; the build's {@link EvaluateAotTraining} run covers its short class path.
 */
class EvaluateMainTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = EvaluateCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Writes {@code data} as EMBEDDINGS and LABELS files: the arguments, then {@code options}. */
    private String[] files(SyntheticClusters data, String... options) throws IOException {
        Path e = dir.resolve("e.npy");
        Path l = dir.resolve("l.npy");
        Npy.writeFloatMatrix(e, data.embeddings().rows(), data.embeddings().dim(), data.embeddings().values());
        Npy.writeLabels(l, data.labels());
        String[] args = new String[options.length + 2];
        args[0] = e.toString();
        args[1] = l.toString();
        System.arraycopy(options, 0, args, 2, options.length);
        return args;
    }

    @Test
    void printsTheEnginesMetricsBitForBit() throws IOException {
        SyntheticClusters data = SyntheticClusters.generate(300, 16, 6, 30, 70, 1.5, 17);
        Run run = run(files(data, "--json", "--threads", "2"));

        assertThat(run.exit()).as(run.err()).isZero();
        RetrievalReport expected = new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, 1),
                RetrievalEvaluator.standardMetrics(1, 2, 4, 8)).evaluate(RetrievalTask.sameSet(data.embeddings(), data.labels()));
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("mean_average_precision_at_r").asDouble()).isEqualTo(expected.get("mean_average_precision_at_r"));
        assertThat(json.get("r_precision").asDouble()).isEqualTo(expected.get("r_precision"));
        assertThat(json.get("k").asInt()).isEqualTo(expected.k());
    }

    @Test
    void takesAndIgnoresTheClientOptionsEverySubcommandInherits() throws IOException {
        String[] args = files(SyntheticClusters.generate(120, 8, 4, 20, 40, 1.5, 3), "--json", "--threads", "1");
        Run plain = run(args);
        java.util.List<String> withClientOptions = new java.util.ArrayList<>(java.util.List.of("--token", "t0ken"));
        withClientOptions.addAll(java.util.List.of(args));
        withClientOptions.add("--tls-ca=/no/such/ca.crt");
        Run client = run(withClientOptions.toArray(String[]::new));

        assertThat(client.exit()).as(client.err()).isZero();
        assertThat(JSON.readTree(client.out())).isEqualTo(JSON.readTree(plain.out()));
        assertThat(run("--help").out()).doesNotContain("--token", "--tls-ca");
    }

    @Test
    void usageAndErrorsNameTheCommandAsUsersTypeIt() throws IOException {
        assertThat(run("--help").out()).startsWith("Usage: realitycheck evaluate ");

        Path l = dir.resolve("l.npy");
        Npy.writeLabels(l, new int[] {1});
        Run missing = run(dir.resolve("nope.npy").toString(), l.toString());
        assertThat(missing.exit()).isEqualTo(InputException.EXIT_CODE);
        assertThat(missing.err().strip()).isEqualTo("realitycheck evaluate: " + dir.resolve("nope.npy") + ": no such file");

        Run usage = run("only-one.npy");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter: 'LABELS'", "Usage: realitycheck evaluate ");
    }

    @Test
    void asAProcessItEndsWithTheCommandsExitCode() throws Exception {
        String[] args = files(SyntheticClusters.generate(200, 8, 4, 30, 60, 1.5, 5), "--threads", "2");
        Process ok = mainProcess(args);
        String okOut = new String(ok.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ok.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("a successful run ends by itself").isTrue();
        assertThat(ok.exitValue()).as(okOut).isZero();
        assertThat(okOut).contains("MAP@R");

        Process missing = mainProcess(dir.resolve("nope.npy").toString(), args[1]);
        String missingOut = new String(missing.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(missing.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).as(missingOut).isEqualTo(InputException.EXIT_CODE);
        assertThat(missingOut).contains("no such file");
    }

    /** {@link EvaluateCommand#main} in its own JVM, started as {@link LocalWorkers} starts a worker. */
    private static Process mainProcess(String... args) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(LocalWorkers.javaCommand());
        command.add(EvaluateCommand.class.getName());
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
