package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.kafka.LocalKafkaBroker;
import dev.realitycheck.proto.v1.EvaluationResult;
import dev.realitycheck.proto.v1.Metrics;
import dev.realitycheck.proto.v1.Split;
import dev.realitycheck.testsupport.KafkaBrokerExtension;
import dev.realitycheck.transport.KafkaSettings;
import dev.realitycheck.transport.TopicAdmin;
import dev.realitycheck.transport.Topics;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code realitycheck results} reading real records from a real broker. */
@QuarkusMainTest
@ExtendWith(KafkaBrokerExtension.class)
class ResultsCommandTest {

    static String bootstrap;

    @BeforeAll
    static void publish(LocalKafkaBroker broker) throws Exception {
        bootstrap = broker.bootstrapServers();
        try (Admin admin = TopicAdmin.admin(bootstrap)) {
            TopicAdmin.ensureTopics(admin, List.of(Topics.EVALUATIONS), 2, (short) 1);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, "test"))) {
            for (EvaluationResult r : List.of(
                    result("run-a", "ck-a", Split.SPLIT_VALIDATION, 0.4321, ""),
                    result("run-a", "ck-a", Split.SPLIT_TEST, 0.3456, ""),
                    result("run-b", "ck-b", Split.SPLIT_TEST, 0, "model could not be loaded"))) {
                producer.send(new ProducerRecord<>(Topics.EVALUATIONS, r.getRunId(), r.toByteArray())).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static EvaluationResult result(String run, String checkpoint, Split split, double map, String error) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder().setRunId(run).setCheckpointId(checkpoint)
                .setEvaluationId(checkpoint + "/" + split).setSplit(split).setLossName("triplet").setIteration(500);
        return error.isEmpty()
                ? b.setMetrics(Metrics.newBuilder().setMeanAveragePrecisionAtR(map).setPrecisionAt1(0.9).putRecallAtK(1, 0.9)
                        .setQueryCount(100)).build()
                : b.setError(error).build();
    }

    @Test
    void printsOneReadableLinePerResultThenExits(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("results", "--bootstrap-servers", bootstrap);

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput().lines().filter(l -> l.contains("triplet"))).hasSize(3);
        assertThat(result.getOutput()).contains("MAP@R=0.4321", "MAP@R=0.3456", "ERROR model could not be loaded");
    }

    @Test
    void filtersByRunAndPrintsJson(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("results", "--bootstrap-servers", bootstrap, "--run", "run-a", "--json");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.getOutput().lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(2);
        EvaluationResult.Builder parsed = EvaluationResult.newBuilder();
        JsonFormat.parser().merge(lines.get(1), parsed);
        assertThat(parsed.getRunId()).isEqualTo("run-a");
    }

    @Test
    void resultsNotSignedByATrustedKeyAreLeftOut(QuarkusMainLauncher launcher) throws Exception {
        java.nio.file.Path keys = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "trusted-keys-");
        dev.realitycheck.transport.RecordSignatures.writePublicKey(keys.resolve("evaluation.pem"),
                dev.realitycheck.transport.RecordSignatures.generateKeyPair().getPublic());

        LaunchResult result = launcher.launch("results", "--bootstrap-servers", bootstrap, "--trusted-keys", keys.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).doesNotContain("triplet");
        assertThat(result.getErrorOutput().lines().filter(l -> l.startsWith("not accepted (signature)")))
                .hasSize(3).allSatisfy(l -> assertThat(l).contains("unsigned"));
    }

    @Test
    void anUnreachableBrokerIsAClearErrorNotAHang(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("results", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "3");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("no answer from Kafka at 127.0.0.1:1");
    }
}
