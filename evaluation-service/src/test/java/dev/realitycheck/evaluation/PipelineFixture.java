package dev.realitycheck.evaluation;

import dev.realitycheck.evaluation.consume.EvaluationLoop;
import dev.realitycheck.evaluation.progress.ScoringProgress;
import dev.realitycheck.evaluation.scoring.Baselines;
import dev.realitycheck.evaluation.scoring.CheckpointScorer;
import dev.realitycheck.evaluation.scoring.HeldOutScorer;
import dev.realitycheck.evaluation.scoring.SavedModelScorer;
import dev.realitycheck.data.TinyDataset;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.realitycheck.data.LabeledImages;
import dev.realitycheck.data.MnistDirectory;
import dev.realitycheck.data.MnistSplit;
import dev.realitycheck.knn.KnnDistance;
import dev.realitycheck.knn.Embeddings;
import dev.realitycheck.knn.ExactKnn;
import dev.realitycheck.model.EmbeddingNetworks;
import dev.realitycheck.model.InputSpec;
import dev.realitycheck.model.Preprocessing;
import dev.realitycheck.model.SavedModelArchive;
import dev.realitycheck.model.SavedModelEmbedder;
import dev.realitycheck.proto.v1.CheckpointManifest;
import dev.realitycheck.proto.v1.DatasetFormat;
import dev.realitycheck.proto.v1.DatasetSpec;
import dev.realitycheck.proto.v1.DeadLetter;
import dev.realitycheck.proto.v1.EvaluationProgress;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.retrieval.RetrievalEvaluator;
import dev.realitycheck.retrieval.RetrievalReport;
import dev.realitycheck.retrieval.RetrievalTask;
import dev.realitycheck.split.ClassSplit;
import dev.realitycheck.transport.CheckpointPublisher;
import dev.realitycheck.transport.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/** Shared pieces of the evaluation-loop tests: a tiny dataset, real SavedModels, real Kafka clients. */
final class PipelineFixture implements AutoCloseable {

    static final int SIDE = 8;
    static final int RECALL_K = 1;

    final String bootstrap;
    final Path dataDir;
    final Path workDir;
    final LabeledImages images;
    final Producer<String, byte[]> producer;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A fixture on {@code broker}, whose topics it creates first (two partitions each). */
    static PipelineFixture onBroker(dev.realitycheck.kafka.LocalKafkaBroker broker, Path tmp) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = dev.realitycheck.transport.TopicAdmin.admin(broker.bootstrapServers())) {
            dev.realitycheck.transport.TopicAdmin.ensureTopics(admin, dev.realitycheck.transport.Topics.ALL, 2, (short) 1);
        }
        return new PipelineFixture(broker.bootstrapServers(), tmp);
    }

    PipelineFixture(String bootstrap, Path tmp) throws Exception {
        this.bootstrap = bootstrap;
        this.dataDir = TinyDataset.write(java.nio.file.Files.createDirectories(tmp.resolve("tiny")), 10, 14, SIDE, 3);
        this.workDir = java.nio.file.Files.createDirectories(tmp.resolve("work"));
        this.images = MnistDirectory.load(dataDir, MnistSplit.ALL);
        this.producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test-publisher"));
    }

    DatasetSpec dataset() {
        return DatasetSpec.newBuilder().setName("tiny").setFormat(DatasetFormat.DATASET_FORMAT_IDX)
                .setPath(dataDir.toString()).build();
    }

    HeldOutScorer heldOut() {
        return heldOut(ScoringProgress.NONE);
    }

    HeldOutScorer heldOut(ScoringProgress progress) {
        return new HeldOutScorer(2, new int[] {RECALL_K}, registry, progress);
    }

    SavedModelScorer scorer() {
        return new SavedModelScorer(m -> images, heldOut(), 64, registry);
    }

    EvaluationLoop loop(String group, CheckpointScorer scorer) {
        return loop(group, scorer, EvaluationLoop.BaselineSource.of(new Baselines(m -> images, heldOut(), workDir)));
    }

    EvaluationLoop loop(String group, CheckpointScorer scorer, EvaluationLoop.BaselineSource baselines) {
        return new EvaluationLoop(new EvaluationLoop.Settings(bootstrap, group, workDir, 1L << 30, Duration.ofMinutes(5),
                2, (short) 1), scorer, baselines, registry);
    }

    /** Exports an untrained MLP for the tiny images and packs it. */
    Path model(Path tmp, String name, long seed) throws Exception {
        Path dir = tmp.resolve(name);
        EmbeddingNetworks.exportUntrained(EmbeddingNetworks.mlp(InputSpec.image(SIDE, SIDE, 1, Preprocessing.pixels()),
                16, List.of(32)), seed, dir);
        Path zip = tmp.resolve(name + ".zip");
        SavedModelArchive.pack(dir, zip);
        return zip;
    }

    CheckpointManifest manifest(String checkpointId, String runId, int fold) {
        return CheckpointManifest.newBuilder().setCheckpointId(checkpointId).setRunId(runId).setExperimentId("exp-1")
                .setLossName("contrastive").setFold(fold).setFoldCount(2).setIteration(100).setSignature("embed")
                .setFormat("savedmodel+zip").setDataset(dataset()).build();
    }

    CheckpointManifest publish(CheckpointManifest manifest, Path packed) throws Exception {
        return new CheckpointPublisher(producer, dev.realitycheck.transport.Topics.CHECKPOINTS, 4096).publish(manifest, packed);
    }

    /** The library's own metrics for a model on one set of classes, computed here without Kafka. */
    RetrievalReport expected(Path modelDir, int[] classes) throws Exception {
        int[] rows = ClassSplit.select(images.labels(), classes);
        float[] raw = HeldOutScorer.rawPixels(images, rows);
        int[] labels = java.util.Arrays.stream(rows).map(images::label).toArray();
        try (SavedModelEmbedder model = SavedModelEmbedder.load(modelDir, 64)) {
            Embeddings e = new Embeddings(model.embed(raw, rows.length), rows.length, model.embeddingSize());
            return new RetrievalEvaluator(new ExactKnn(KnnDistance.COSINE, 2), RetrievalEvaluator.standardMetrics(RECALL_K))
                    .evaluate(RetrievalTask.sameSet(e, labels));
        }
    }

    /** Reads a whole topic from the beginning into a map kept up to date by {@link #poll}. */
    static final class TopicReader<T> implements AutoCloseable {
        final KafkaConsumer<byte[], byte[]> consumer;
        final List<T> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        final Parser<T> parser;

        interface Parser<T> {
            T parse(byte[] bytes) throws InvalidProtocolBufferException;
        }

        TopicReader(String bootstrap, String topic, Parser<T> parser) {
            this.parser = parser;
            consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, null, "test-reader-" + topic));
            List<TopicPartition> parts = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                parts.add(new TopicPartition(topic, p));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }

        List<T> poll() throws InvalidProtocolBufferException {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(parser.parse(r.value()));
            }
            return List.copyOf(seen);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    static TopicReader<EvaluationResult> results(String bootstrap) {
        return new TopicReader<>(bootstrap, dev.realitycheck.transport.Topics.EVALUATIONS, EvaluationResult::parseFrom);
    }

    static TopicReader<EvaluationProgress> progress(String bootstrap) {
        return new TopicReader<>(bootstrap, dev.realitycheck.transport.Topics.EVALUATION_PROGRESS, EvaluationProgress::parseFrom);
    }

    static TopicReader<DeadLetter> deadLetters(String bootstrap) {
        return new TopicReader<>(bootstrap, dev.realitycheck.transport.Topics.DEAD_LETTERS, DeadLetter::parseFrom);
    }

    /** Latest result per evaluation id (what a deduplicating consumer sees). */
    static Map<String, EvaluationResult> byId(List<EvaluationResult> results) {
        Map<String, EvaluationResult> map = new ConcurrentHashMap<>();
        results.forEach(r -> map.put(r.getEvaluationId(), r));
        return map;
    }

    @Override
    public void close() {
        producer.close();
    }
}
