package dev.realitycheck.embedding.grpc;

import dev.realitycheck.embedding.EmbeddingConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sizes the HTTP/2 flow-control windows and frames of the HTTP server that carries gRPC (Quarkus'
 * Vert.x server offers no setting for the windows). With Vert.x's defaults (64 KiB stream and
 * connection windows, 16 KiB frames) a 200 KB Embed request of 64 Fashion-MNIST images arrives in
 * about 13 DATA frames, each appended to the message's buffer, which grows by copying; larger windows
 * and frames let a client send such a request in one or two frames (measured in the README's
 * benchmark section). Memory per connection grows by at most the connection window.
 */
@ApplicationScoped
public class Http2Windows implements HttpServerOptionsCustomizer {

    @Inject
    EmbeddingConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options, config.http2());
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options, config.http2());
    }

    /** Sets the windows and the frame size of {@code http2} on {@code options}, keeping its other HTTP/2 settings. */
    static void apply(HttpServerOptions options, EmbeddingConfig.Http2 http2) {
        Http2Settings settings = options.getInitialSettings() != null ? options.getInitialSettings() : new Http2Settings();
        settings.setInitialWindowSize(http2.streamWindowBytes());
        settings.setMaxFrameSize(http2.maxFrameBytes());
        options.setInitialSettings(settings);
        options.setHttp2ConnectionWindowSize(http2.connectionWindowBytes());
    }
}
