package dev.realitycheck.embedding.grpc;

import dev.realitycheck.embedding.EmbeddingConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import io.vertx.grpc.server.GrpcServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sizes the largest gRPC message the server reads from the advertised item limit, so that every
 * request of at most {@code max-request-items} items of at most {@code max-item-bytes} each is
 * accepted (gRPC's default, 256 KiB, refused any Embed request above about 83 float32 28x28 items).
 *
 * <p>With the gRPC server on the Vert.x HTTP server ({@code use-separate-server=false}) Quarkus applies
 * customizers to the Vert.x {@link GrpcServerOptions}; an explicit
 * {@code quarkus.grpc.server.max-inbound-message-size} still wins (Quarkus sets it after the customizers).
 * A message above the limit is refused by Vert.x before it is parsed, with RESOURCE_EXHAUSTED and no
 * description (Vert.x sets none); a request within it but with more items than allowed is parsed and
 * refused with RESOURCE_EXHAUSTED naming the item limit ({@link ItemInputs#checkCount}).
 */
@ApplicationScoped
public class GrpcMessageLimit implements ServerBuilderCustomizer<VertxServerBuilder> {

    /** Room for the fields around the items (request id, checkpoint id, encodings). */
    static final long ENVELOPE_BYTES = 64 * 1024;

    @Inject
    EmbeddingConfig config;

    @Override
    public void customize(GrpcServerConfiguration grpc, GrpcServerOptions options) {
        options.setMaxMessageSize(maxMessageBytes(config.maxRequestItems(), config.maxItemBytes()));
    }

    /**
     * The same limit for the separate server ({@code use-separate-server=true}): grpc-java's Netty server,
     * which Quarkus builds through Vert.x's {@link VertxServerBuilder} (typed as the Netty builder, this
     * customizer stopped that server from starting with a ClassCastException).
     */
    @Override
    public void customize(GrpcServerConfiguration grpc, VertxServerBuilder builder) {
        builder.maxInboundMessageSize((int) maxMessageBytes(config.maxRequestItems(), config.maxItemBytes()));
    }

    /**
     * The largest inbound message: {@code maxItems * maxItemBytes + 64 KiB}, at most {@link Integer#MAX_VALUE}.
     *
     * @throws IllegalArgumentException if either bound is not positive
     */
    public static long maxMessageBytes(int maxItems, int maxItemBytes) {
        if (maxItems < 1 || maxItemBytes < 1) {
            throw new IllegalArgumentException("max-request-items (" + maxItems + ") and max-item-bytes ("
                    + maxItemBytes + ") must be positive");
        }
        return Math.min(Integer.MAX_VALUE, (long) maxItems * maxItemBytes + ENVELOPE_BYTES);
    }
}
