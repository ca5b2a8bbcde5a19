package dev.realitycheck.embedding;

import dev.realitycheck.embedding.serving.ModelRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (prints numbers; run with {@code bin/bench-embedding}): Embed over real gRPC on loopback,
 * 16 clients x batch 1 and 4 clients x batch 64, micro-batching off, beside the in-process
 * throughput of the same model.
 */
@QuarkusTest
@TestProfile(EmbedBenchmarkSupport.Off.class)
@Tag("benchmark")
class EmbedBenchmarkBatchingOffTest {

    @TestHTTPResource
    URL server;

    @Inject
    ModelRegistry registry;

    @Test
    void benchmark() throws Exception {
        EmbedBenchmarkSupport.run("off", server, EmbedBenchmarkSupport.loadInto(registry));
    }
}
