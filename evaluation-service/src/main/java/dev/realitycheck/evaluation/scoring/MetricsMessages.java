package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.proto.v1.ClassMetrics;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.retrieval.RecallAtK;
import dev.realitycheck.retrieval.RetrievalReport;
import java.util.Map;

/** Turns the library's {@link RetrievalReport} into the contract's {@link Metrics}: undefined metrics stay absent. */
final class MetricsMessages {

    private MetricsMessages() {
    }

    static Metrics metrics(RetrievalReport report, KnnDistance distance, int references) {
        Metrics.Builder b = Metrics.newBuilder()
                .setQueryCount(report.queries())
                .setLoneQueryCount(report.loneQueries())
                .setReferenceCount(references)
                .setClassCount(report.perClass().size())
                .setKRetrieved(report.k())
                .setDistance(toProto(distance));
        fill(b, report.metrics(), false);
        fill(b, report.metricsPerClassAverage(), true);
        return b.build();
    }

    static ClassMetrics classMetrics(dev.realitycheck.retrieval.ClassMetrics c) {
        Metrics.Builder b = Metrics.newBuilder().setQueryCount(c.queries()).setClassCount(1);
        fill(b, c.values(), false);
        return ClassMetrics.newBuilder().setLabel(c.label()).setMetrics(b).build();
    }

    private static void fill(Metrics.Builder b, Map<String, Double> values, boolean classAveraged) {
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double v = e.getValue();
            if (Double.isNaN(v)) {
                continue; // undefined: absent, never 0
            }
            String name = e.getKey();
            if (name.startsWith(RecallAtK.PREFIX)) {
                int k = Integer.parseInt(name.substring(RecallAtK.PREFIX.length()));
                if (classAveraged) {
                    b.putRecallAtKClassAveraged(k, v);
                } else {
                    b.putRecallAtK(k, v);
                }
                continue;
            }
            switch (name) {
                case "precision_at_1" -> {
                    if (classAveraged) {
                        b.setPrecisionAt1ClassAveraged(v);
                    } else {
                        b.setPrecisionAt1(v);
                    }
                }
                case "r_precision" -> {
                    if (classAveraged) {
                        b.setRPrecisionClassAveraged(v);
                    } else {
                        b.setRPrecision(v);
                    }
                }
                case "mean_average_precision_at_r" -> {
                    if (classAveraged) {
                        b.setMeanAveragePrecisionAtRClassAveraged(v);
                    } else {
                        b.setMeanAveragePrecisionAtR(v);
                    }
                }
                default -> throw new IllegalStateException("metric without a field in the contract: " + name);
            }
        }
    }

    static dev.realitycheck.proto.v1.Distance toProto(KnnDistance d) {
        return d == KnnDistance.EUCLIDEAN ? dev.realitycheck.proto.v1.Distance.DISTANCE_EUCLIDEAN
                : dev.realitycheck.proto.v1.Distance.DISTANCE_COSINE;
    }

    static KnnDistance fromProto(dev.realitycheck.proto.v1.Distance d) {
        return d == dev.realitycheck.proto.v1.Distance.DISTANCE_EUCLIDEAN ? KnnDistance.EUCLIDEAN : KnnDistance.COSINE;
    }
}
