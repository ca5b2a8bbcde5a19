package dev.realitycheck.e2e;

import dev.realitycheck.proto.v1.DenseTensor;
import dev.realitycheck.proto.v1.EmbedRequest;
import dev.realitycheck.proto.v1.EmbedResponse;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Item;
import dev.realitycheck.proto.v1.SearchRequest;
import dev.realitycheck.proto.v1.SearchResponse;
import dev.realitycheck.proto.v1.Split;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Java recipes of {@code docs/clients.md}, as code that compiles against the project's
 * generated stubs and runs against the end-to-end test's stack ({@link PipelineEndToEndTest});
 * {@link ClientsDocTest} checks that the doc's Java blocks are these methods' bodies, line for line.
 */
final class JavaClientRecipe {

    private JavaClientRecipe() {
    }

    /** Embeds one raw-pixel image (28 x 28 x 1, values 0..255) and searches the gallery for it, sending {@code token}. */
    static void embedAndSearch(String target, String token, float[] pixels, PrintStream out) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target)
                .defaultLoadBalancingPolicy("round_robin")
                .usePlaintext()
                .build();
        try {
            Metadata auth = new Metadata();  // the bearer token (the local stack's: .run/credentials/reader.token)
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
            DenseTensor.Builder image = DenseTensor.newBuilder().addShape(28).addShape(28).addShape(1);
            for (float pixel : pixels) {              // 784 raw values, 0..255: the graph does its own scaling
                image.addValues(pixel);
            }
            EmbedResponse embedded = stub.withDeadlineAfter(5, TimeUnit.SECONDS).embed(EmbedRequest.newBuilder()
                    .addItems(Item.newBuilder().setId("q1").setTensor(image))
                    .build());
            float[] vector = new float[embedded.getEmbeddings(0).getValuesCount()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = embedded.getEmbeddings(0).getValues(i);  // L2-normalised
            }
            SearchResponse hits = stub.withDeadlineAfter(5, TimeUnit.SECONDS).search(SearchRequest.newBuilder()
                    .setGallery("fmnist-test")
                    .setItem(Item.newBuilder().setTensor(image))
                    .setK(5)
                    .build());
            hits.getNeighborsList().forEach(n -> out.printf("%s label %d distance %.4f%n",
                    n.getItemId(), n.getLabel(), n.getDistance()));
            out.println("checkpoint " + embedded.getCheckpointId() + ", " + vector.length + " dimensions");
        } finally {
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Prints each validation result on realitycheck.evaluations until the thread is interrupted. */
    static void followEvaluations(String bootstrapServers, PrintStream out) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "my-dashboard");
        props.put("auto.offset.reset", "earliest");                 // every result so far, then new ones
        props.put("key.deserializer", StringDeserializer.class.getName());        // run id
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());   // EvaluationResult bytes
        // TLS/SASL: security.protocol, ssl.truststore.*, sasl.mechanism, sasl.jaas.config as for any Kafka client
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("realitycheck.evaluations"));   // dev.realitycheck.transport.Topics.EVALUATIONS
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    EvaluationResult result = EvaluationResult.parseFrom(record.value());
                    if (!result.getError().isEmpty()) {
                        out.println(result.getCheckpointId() + " failed: " + result.getError());
                    } else if (result.getSplit() == Split.SPLIT_VALIDATION) {
                        out.printf("%s %s fold %d seed %d it %d: MAP@R %.4f P@1 %.4f%n", result.getRunId(),
                                result.getLossName(), result.getFold(), result.getSeed(), result.getIteration(),
                                result.getMetrics().getMeanAveragePrecisionAtR(), result.getMetrics().getPrecisionAt1());
                    }
                }
            }
        }
    }
}
