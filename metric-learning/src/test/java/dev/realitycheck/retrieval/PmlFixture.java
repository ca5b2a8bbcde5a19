package dev.realitycheck.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realitycheck.knn.Distance;
import dev.realitycheck.knn.Embeddings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of ../shared/fixtures/retrieval (values from pytorch-metric-learning 2.8.1). Shared with
 * other modules' tests through this module's test jar.
 */
public record PmlFixture(String name, JsonNode json) {

    public static Path directory() {
        String configured = System.getProperty("realitycheck.fixtures", "../../shared/fixtures/retrieval");
        Path dir = Path.of(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("retrieval fixtures not found at " + dir
                    + " (set -Drealitycheck.fixtures=DIR; they live in shared/fixtures/retrieval beside the checkout)");
        }
        return dir;
    }

    public static List<PmlFixture> all() {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(directory())) {
            List<PmlFixture> list = files
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("index.json"))
                    .sorted()
                    .map(p -> {
                        try {
                            return new PmlFixture(p.getFileName().toString().replace(".json", ""), mapper.readTree(p.toFile()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
            if (list.isEmpty()) {
                throw new IllegalStateException("no fixture cases in " + directory());
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Distance distance() {
        return Distance.parse(json.get("distance").asText());
    }

    public String referenceMode() {
        return json.get("reference_mode").asText();
    }

    public int[] recallKs() {
        return ints(json.get("recall_ks"));
    }

    public Embeddings queries() {
        return matrix(json.get("query_embeddings"));
    }

    public int[] queryLabels() {
        return ints(json.get("query_labels"));
    }

    public Embeddings references() {
        return matrix(json.get("reference_embeddings"));
    }

    public int[] referenceLabels() {
        return ints(json.get("reference_labels"));
    }

    public RetrievalTask task() {
        return switch (referenceMode()) {
            case "same" -> RetrievalTask.sameSet(queries(), queryLabels());
            case "separate" -> RetrievalTask.separate(queries(), queryLabels(), references(), referenceLabels());
            case "query_prefix_of_reference" ->
                    RetrievalTask.queryPrefix(queries(), queryLabels(), references(), referenceLabels());
            default -> throw new IllegalStateException("unknown reference_mode " + referenceMode());
        };
    }

    /** [lo, hi] of a metric under the rounding tolerance; {@code null} when PML gave NaN. */
    public double[] bounds(String metric, boolean avgOfAvgs) {
        JsonNode tolerance = json.get("tie_analysis").get("rounding_tolerance");
        JsonNode b;
        if (metric.startsWith(RecallAtK.PREFIX)) {
            String k = metric.substring(RecallAtK.PREFIX.length());
            if (avgOfAvgs) {
                JsonNode v = json.get("expected_avg_of_avgs").get("recall_at_k").get(k);
                return v == null || v.isNull() ? null : new double[] {v.asDouble(), v.asDouble()};
            }
            b = tolerance.get("recall_at_k_bounds").get(k);
        } else {
            b = tolerance.get(avgOfAvgs ? "bounds_avg_of_avgs" : "bounds").get(metric);
        }
        if (b == null || b.isNull() || b.get(0).isNull()) {
            return null;
        }
        return new double[] {b.get(0).asDouble(), b.get(1).asDouble()};
    }

    public boolean tieDependent() {
        return json.get("tie_analysis").get("tie_dependent").asBoolean();
    }

    public int loneQueries() {
        return json.get("query_stats").get("n_lone_queries").asInt();
    }

    @Override
    public String toString() {
        return name;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static Embeddings matrix(JsonNode rows) {
        int n = rows.size();
        int dim = rows.get(0).size();
        float[] values = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return new Embeddings(values, n, dim);
    }
}
