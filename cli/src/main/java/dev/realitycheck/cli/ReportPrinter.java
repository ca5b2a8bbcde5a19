package dev.realitycheck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.retrieval.ClassMetrics;
import dev.realitycheck.retrieval.RecallAtK;
import dev.realitycheck.retrieval.RetrievalReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link RetrievalReport} as a readable table or as one JSON object. */
final class ReportPrinter {

    private ReportPrinter() {
    }

    /**
     * {@code {"precision_at_1", "r_precision", "mean_average_precision_at_r", "recall_at_k": {"1": ...},
     * "queries", "lone_queries", ...}}; undefined metrics are {@code null}.
     */
    static String json(RetrievalReport report, boolean perClass) {
        Map<String, Object> root = grouped(report.metrics());
        root.put("queries", report.queries());
        root.put("lone_queries", report.loneQueries());
        root.put("k", report.k());
        root.put("per_class_average", grouped(report.metricsPerClassAverage()));
        if (perClass) {
            List<Map<String, Object>> classes = new ArrayList<>();
            for (ClassMetrics c : report.perClass()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", c.label());
                m.put("queries", c.queries());
                m.put("r", c.r());
                m.putAll(grouped(c.values()));
                classes.add(m);
            }
            root.put("per_class", classes);
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The JSON mapper, built on first use: building it costs about 45 ms of a one-shot {@code evaluate}
     * process, which a table does not need.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Metric name to value, with the Recall@K values nested under {@code "recall_at_k"}; NaN becomes null. */
    private static Map<String, Object> grouped(Map<String, Double> metrics) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> recall = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            Double v = e.getValue() == null || e.getValue().isNaN() ? null : e.getValue();
            if (e.getKey().startsWith(RecallAtK.PREFIX)) {
                recall.put(e.getKey().substring(RecallAtK.PREFIX.length()), v);
            } else {
                out.put(e.getKey(), v);
            }
        }
        out.put("recall_at_k", recall);
        return out;
    }

    static String table(RetrievalReport report, KnnDistance distance, boolean perClass) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d queries (%d lone, left out), %d classes, %s distance, k = %d, kNN %.2f s%n",
                report.queries(), report.loneQueries(), report.perClass().size(), distance.id(), report.k(),
                report.knnNanos() / 1e9));
        if (!report.defined()) {
            sb.append("every query is lone (no reference shares its label): metrics are undefined\n");
        }
        sb.append(String.format(Locale.ROOT, "%-30s %10s %16s%n", "metric", "overall", "class average"));
        for (Map.Entry<String, Double> e : report.metrics().entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-30s %10s %16s%n", label(e.getKey()), number(e.getValue()),
                    number(report.metricsPerClassAverage().get(e.getKey()))));
        }
        if (perClass && !report.perClass().isEmpty()) {
            List<String> names = new ArrayList<>(report.metrics().keySet());
            sb.append('\n').append(String.format(Locale.ROOT, "%10s %8s %6s", "label", "queries", "R"));
            for (String name : names) {
                sb.append(String.format(Locale.ROOT, " %9s", shortLabel(name)));
            }
            sb.append('\n');
            for (ClassMetrics c : report.perClass()) {
                sb.append(String.format(Locale.ROOT, "%10d %8d %6d", c.label(), c.queries(), c.r()));
                for (String name : names) {
                    sb.append(String.format(Locale.ROOT, " %9s", number(c.values().get(name))));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String label(String metric) {
        return switch (metric) {
            case "precision_at_1" -> "Precision@1";
            case "r_precision" -> "R-Precision";
            case "mean_average_precision_at_r" -> "MAP@R";
            default -> metric.startsWith(RecallAtK.PREFIX)
                    ? "Recall@" + metric.substring(RecallAtK.PREFIX.length()) : metric;
        };
    }

    private static String shortLabel(String metric) {
        return switch (metric) {
            case "precision_at_1" -> "P@1";
            case "r_precision" -> "R-Prec";
            case "mean_average_precision_at_r" -> "MAP@R";
            default -> metric.startsWith(RecallAtK.PREFIX)
                    ? "R@" + metric.substring(RecallAtK.PREFIX.length()) : metric;
        };
    }

    private static String number(Double v) {
        return v == null || v.isNaN() ? "undefined" : String.format(Locale.ROOT, "%.4f", v);
    }
}
