package dev.realitycheck.evaluation.scoring;

import dev.realitycheck.evaluation.EvaluationConfig;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsRequest;
import dev.realitycheck.proto.v1.EvaluateEmbeddingsResponse;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** {@code EvaluateEmbeddings}: validates the request, then runs the library's exact evaluation. */
@ApplicationScoped
public class EmbeddingsEvaluator {

    @Inject
    EvaluationConfig config;

    /**
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT naming the field, or RESOURCE_EXHAUSTED
     *                                        for a request over {@link EvaluationConfig#maxEvaluateRows()}
     *                                        or {@link EvaluationConfig#maxEvaluateDimension()}, checked first
     */
    public EvaluateEmbeddingsResponse evaluate(EvaluateEmbeddingsRequest request) {
        if (!request.hasQueries()) {
            throw EmbeddingSetReader.invalid("queries is required");
        }
        int rows = request.getQueries().getLabelsCount() + request.getReferences().getLabelsCount();
        overLimit("queries.labels + references.labels", rows, config.maxEvaluateRows(), "max-evaluate-rows");
        overLimit("queries.dimension", request.getQueries().getDimension(), config.maxEvaluateDimension(),
                "max-evaluate-dimension");
        overLimit("references.dimension", request.getReferences().getDimension(), config.maxEvaluateDimension(),
                "max-evaluate-dimension");
        EmbeddingSetReader queries = EmbeddingSetReader.read(request.getQueries(), "queries");
        RetrievalTask task;
        if (request.hasReferences()) {
            EmbeddingSetReader refs = EmbeddingSetReader.read(request.getReferences(), "references");
            if (refs.embeddings().dim() != queries.embeddings().dim()) {
                throw EmbeddingSetReader.invalid("references.dimension " + refs.embeddings().dim()
                        + " differs from queries.dimension " + queries.embeddings().dim());
            }
            task = RetrievalTask.separate(queries.embeddings(), queries.labels(), refs.embeddings(), refs.labels());
        } else {
            task = RetrievalTask.sameSet(queries.embeddings(), queries.labels());
        }
        List<Integer> ks = request.getRecallKsCount() == 0 ? config.recallKs() : request.getRecallKsList();
        for (int i = 0; i < ks.size(); i++) {
            if (ks.get(i) < 1) {
                throw EmbeddingSetReader.invalid("recall_ks[" + i + "] must be >= 1, got " + ks.get(i));
            }
        }
        KnnDistance distance = MetricsMessages.fromProto(request.getDistance());
        RetrievalEvaluator evaluator = new RetrievalEvaluator(new ExactKnn(distance, config.resolvedKnnThreads()),
                RetrievalEvaluator.standardMetrics(ks.stream().mapToInt(Integer::intValue).toArray()));
        RetrievalReport report = evaluator.evaluate(task);
        EvaluateEmbeddingsResponse.Builder response = EvaluateEmbeddingsResponse.newBuilder()
                .setMetrics(MetricsMessages.metrics(report, distance, task.references().rows()));
        if (request.getPerClass()) {
            report.perClass().forEach(c -> response.addPerClass(MetricsMessages.classMetrics(c)));
        }
        return response.build();
    }

    private static void overLimit(String field, long value, long limit, String setting) {
        if (value > limit) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(field + " is " + value + ", over the limit " + limit
                    + " (realitycheck.evaluation." + setting + ")").asRuntimeException();
        }
    }
}
