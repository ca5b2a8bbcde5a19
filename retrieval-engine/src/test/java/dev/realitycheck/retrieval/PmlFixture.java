package dev.realitycheck.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the pytorch-metric-learning retrieval fixtures (values from pytorch-metric-learning
 * 2.8.1), kept in this module's test resources under {@code pml-fixtures/} (their README says how
 * they were made and how to compare). Shared with other modules' tests through this module's test
 * jar, so the fixtures are found on the class path, as a directory or inside that jar.
 */
public record PmlFixture(String name, JsonNode json) {

    /** Where the fixtures are read from, on the class path: a test-classes directory or the test jar. */
    static final String RESOURCE = "/pml-fixtures/index.json";

    public static Path directory() {
        URL index = PmlFixture.class.getResource(RESOURCE);
        if (index == null) {
            throw new IllegalStateException("retrieval fixtures not found on the class path at " + RESOURCE
                    + " (they live in retrieval-engine/src/test/resources/pml-fixtures)");
        }
        try {
            URI uri = index.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                return jar.getPath(RESOURCE).getParent();
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the retrieval fixtures at " + index, e);
        }
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
                            return new PmlFixture(p.getFileName().toString().replace(".json", ""), read(mapper, p));
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

    private static JsonNode read(ObjectMapper mapper, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return mapper.readTree(in);
        }
    }

    public KnnDistance distance() {
        return KnnDistance.parse(json.get("distance").asText());
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
