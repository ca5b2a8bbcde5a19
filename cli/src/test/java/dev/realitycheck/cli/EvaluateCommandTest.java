package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realitycheck.data.Npy;
import dev.realitycheck.data.SyntheticClusters;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.retrieval.PmlFixture;
import dev.realitycheck.retrieval.RecallAtK;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code realitycheck evaluate} run as users run it: .npy files in, a table or JSON out, exit codes. */
@QuarkusMainTest
class EvaluateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static void writeMatrix(Path file, Embeddings e) throws IOException {
        Npy.writeFloatMatrix(file, e.rows(), e.dim(), e.values());
    }

    @Test
    void everySharedFixtureIsWithinBoundsThroughTheCommandLine(QuarkusMainLauncher launcher) throws IOException {
        List<String> failures = new ArrayList<>();
        for (PmlFixture f : PmlFixture.all()) {
            Path q = dir.resolve(f.name() + "-q.npy");
            Path ql = dir.resolve(f.name() + "-ql.npy");
            writeMatrix(q, f.queries());
            Npy.writeLabels(ql, f.queryLabels());
            List<String> args = new ArrayList<>(List.of("evaluate", q.toString(), ql.toString(), "--json",
                    "--distance", f.distance().id(), "--recall-at",
                    Arrays.stream(f.recallKs()).mapToObj(Integer::toString).collect(Collectors.joining(","))));
            if (!f.referenceMode().equals("same")) {
                Path r = dir.resolve(f.name() + "-r.npy");
                Path rl = dir.resolve(f.name() + "-rl.npy");
                writeMatrix(r, f.references());
                Npy.writeLabels(rl, f.referenceLabels());
                args.addAll(List.of("--reference", r.toString(), "--reference-labels", rl.toString()));
                if (f.referenceMode().equals("query_prefix_of_reference")) {
                    args.add("--reference-includes-queries");
                }
            }

            LaunchResult result = launcher.launch(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(f.name() + ": " + result.getErrorOutput()).isZero();
            JsonNode json = JSON.readTree(result.getOutput());
            assertThat(json.get("lone_queries").asInt()).as(f.name()).isEqualTo(f.loneQueries());
            check(f, json, "precision_at_1", json.get("precision_at_1"), failures);
            check(f, json, "r_precision", json.get("r_precision"), failures);
            check(f, json, "mean_average_precision_at_r", json.get("mean_average_precision_at_r"), failures);
            for (int k : f.recallKs()) {
                check(f, json, RecallAtK.PREFIX + k, json.get("recall_at_k").get(Integer.toString(k)), failures);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void workerProcessesGiveTheSameResultAsOneProcess(QuarkusMainLauncher launcher) throws IOException {
        SyntheticClusters data = SyntheticClusters.generate(3_000, 16, 60, 30, 70, 1.4, 5);
        Path q = dir.resolve("split-q.npy");
        Path l = dir.resolve("split-l.npy");
        writeMatrix(q, data.embeddings());
        Npy.writeLabels(l, data.labels());
        // the first 1,000 rows query all 3,000, each skipping its own row
        Path pq = dir.resolve("split-prefix-q.npy");
        Path pl = dir.resolve("split-prefix-l.npy");
        writeMatrix(pq, data.embeddings().slice(0, 1_000));
        Npy.writeLabels(pl, Arrays.copyOf(data.labels(), 1_000));
        List<List<String>> inputs = List.of(
                List.of(q.toString(), l.toString()),
                List.of(pq.toString(), pl.toString(), "--reference", q.toString(), "--reference-labels", l.toString(),
                        "--reference-includes-queries", "--distance", "euclidean"));

        for (List<String> input : inputs) {
            List<String> one = new ArrayList<>(List.of("evaluate", "--json", "--per-class", "--threads", "2"));
            one.addAll(input);
            List<String> three = new ArrayList<>(one);
            three.addAll(List.of("--workers", "3"));

            LaunchResult single = launcher.launch(one.toArray(String[]::new));
            LaunchResult split = launcher.launch(three.toArray(String[]::new));

            assertThat(single.exitCode()).as(single.getErrorOutput()).isZero();
            assertThat(split.exitCode()).as(split.getErrorOutput()).isZero();
            assertThat(JSON.readTree(single.getOutput()).get("mean_average_precision_at_r").asDouble()).isPositive();
            assertThat(split.getOutput()).as(String.join(" ", input)).isEqualTo(single.getOutput());
        }
    }

    @Test
    void workersOutsideOneToTheQueryCountAreRejected(QuarkusMainLauncher launcher) throws IOException {
        Path q = dir.resolve("w-q.npy");
        Path l = dir.resolve("w-l.npy");
        writeMatrix(q, Embeddings.of(new float[][] {{1, 0}, {0, 1}, {1, 1}}));
        Npy.writeLabels(l, new int[] {0, 0, 1});

        LaunchResult zero = launcher.launch("evaluate", q.toString(), l.toString(), "--workers", "0");
        LaunchResult tooMany = launcher.launch("evaluate", q.toString(), l.toString(), "--workers", "4");

        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.getErrorOutput()).contains("--workers must be >= 1, got 0");
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.getErrorOutput()).contains("--workers must be between 1 and the 3 queries, got 4");
    }

    private static void check(PmlFixture f, JsonNode json, String metric, JsonNode value, List<String> failures) {
        double[] bounds = f.bounds(metric, false);
        if (bounds == null) {
            if (!value.isNull()) {
                failures.add(f.name() + " " + metric + ": expected null (undefined), got " + value);
            }
        } else if (value.isNull() || value.asDouble() < bounds[0] - 1e-6 || value.asDouble() > bounds[1] + 1e-6) {
            failures.add(f.name() + " " + metric + ": " + value + " not in " + Arrays.toString(bounds));
        }
    }

    @Test
    void printsAReadableTableWithPerClassRows(QuarkusMainLauncher launcher) throws IOException {
        Path q = dir.resolve("e.npy");
        Path l = dir.resolve("l.npy");
        Npy.writeFloatMatrix(q, 4, 1, new float[] {0, 0.1f, 5, 5.1f});
        Npy.writeLabels(l, new int[] {3, 3, 8, 8});

        LaunchResult result = launcher.launch("evaluate", q.toString(), l.toString(), "--per-class", "--distance", "euclidean");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("MAP@R", "Recall@8", "1.0000").containsPattern("(?m)^\\s+3\\s+2\\s+1\\b");
    }

    @Test
    void everyQueryLoneGivesNullMetricsInJson(QuarkusMainLauncher launcher) throws IOException {
        Path q = dir.resolve("e.npy");
        Path l = dir.resolve("l.npy");
        Npy.writeFloatMatrix(q, 3, 2, new float[] {1, 0, 0, 1, 1, 1});
        Npy.writeLabels(l, new int[] {1, 2, 3});

        LaunchResult result = launcher.launch("evaluate", q.toString(), l.toString(), "--json");

        assertThat(result.exitCode()).isZero();
        JsonNode json = JSON.readTree(result.getOutput());
        assertThat(json.get("mean_average_precision_at_r").isNull()).isTrue();
        assertThat(json.get("recall_at_k").get("1").isNull()).isTrue();
        assertThat(json.get("queries").asInt()).isEqualTo(3);
        assertThat(json.get("lone_queries").asInt()).isEqualTo(3);
    }

    @Test
    void missingFileIsOneLineNamingIt(QuarkusMainLauncher launcher) throws IOException {
        Path l = dir.resolve("l.npy");
        Npy.writeLabels(l, new int[] {1});

        LaunchResult result = launcher.launch("evaluate", dir.resolve("nope.npy").toString(), l.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput().strip()).contains("nope.npy: no such file").doesNotContain("\n");
    }

    @Test
    void labelCountMismatchNamesBothFiles(QuarkusMainLauncher launcher) throws IOException {
        Path q = dir.resolve("emb.npy");
        Path l = dir.resolve("lab.npy");
        Npy.writeFloatMatrix(q, 3, 2, new float[6]);
        Npy.writeLabels(l, new int[] {1, 2});

        LaunchResult result = launcher.launch("evaluate", q.toString(), l.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("lab.npy: 2 labels, but", "emb.npy has 3 rows");
    }

    @Test
    void nonFiniteEmbeddingNamesFileAndPosition(QuarkusMainLauncher launcher) throws IOException {
        Path q = dir.resolve("emb.npy");
        Path l = dir.resolve("lab.npy");
        Npy.writeFloatMatrix(q, 2, 2, new float[] {0, 1, Float.POSITIVE_INFINITY, 2});
        Npy.writeLabels(l, new int[] {1, 1});

        LaunchResult result = launcher.launch("evaluate", q.toString(), l.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("emb.npy: non-finite value Infinity at row 1, column 0");
    }

    @Test
    void unsupportedDtypeAndShapeAreRejected(QuarkusMainLauncher launcher) throws IOException {
        Path complex = dir.resolve("complex.npy");
        Files.write(complex, npy("<c8", "(2, 2)", new byte[32]));
        Path labels1d = dir.resolve("vector.npy");
        Npy.writeLabels(labels1d, new int[] {1, 2});
        Path l = dir.resolve("lab.npy");
        Npy.writeLabels(l, new int[] {1, 1});

        LaunchResult dtype = launcher.launch("evaluate", complex.toString(), l.toString());
        LaunchResult shape = launcher.launch("evaluate", labels1d.toString(), l.toString());
        LaunchResult floatLabels = launcher.launch("evaluate", labels1d.toString(), complex.toString());

        assertThat(dtype.exitCode()).isEqualTo(2);
        assertThat(dtype.getErrorOutput()).contains("complex.npy").contains("c8");
        assertThat(shape.exitCode()).isEqualTo(2);
        assertThat(shape.getErrorOutput()).contains("vector.npy").contains("2-D");
        assertThat(floatLabels.exitCode()).isEqualTo(2);
    }

    @Test
    void badDistanceIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("evaluate", "a.npy", "b.npy", "--distance", "manhattan");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("manhattan");
    }

    /** A .npy v1.0 file with any descriptor, built by hand as numpy would write it. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }
}
