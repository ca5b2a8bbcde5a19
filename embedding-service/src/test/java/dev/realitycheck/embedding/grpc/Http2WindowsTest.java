package dev.realitycheck.embedding.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.embedding.EmbeddingConfig;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.Test;

class Http2WindowsTest {

    private static EmbeddingConfig.Http2 http2(int stream, int connection, int frame) {
        return new EmbeddingConfig.Http2() {
            @Override
            public int streamWindowBytes() {
                return stream;
            }

            @Override
            public int connectionWindowBytes() {
                return connection;
            }

            @Override
            public int maxFrameBytes() {
                return frame;
            }
        };
    }

    @Test
    void windowsAndFrameSizeReplaceVertxDefaultsAndOtherSettingsStay() {
        HttpServerOptions options = new HttpServerOptions()
                .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(77));
        assertThat(options.getInitialSettings().getInitialWindowSize()).isEqualTo(65535);

        Http2Windows.apply(options, http2(1 << 20, 4 << 20, 1 << 20));

        assertThat(options.getInitialSettings().getInitialWindowSize()).isEqualTo(1 << 20);
        assertThat(options.getInitialSettings().getMaxFrameSize()).isEqualTo(1 << 20);
        assertThat(options.getHttp2ConnectionWindowSize()).isEqualTo(4 << 20);
        assertThat(options.getInitialSettings().getMaxConcurrentStreams()).isEqualTo(77);
    }

    @Test
    void optionsWithoutInitialSettingsGetThem() {
        HttpServerOptions options = new HttpServerOptions();
        options.setInitialSettings(null);
        Http2Windows.apply(options, http2(300_000, 600_000, 32_768));
        assertThat(options.getInitialSettings().getInitialWindowSize()).isEqualTo(300_000);
        assertThat(options.getInitialSettings().getMaxFrameSize()).isEqualTo(32_768);
        assertThat(options.getHttp2ConnectionWindowSize()).isEqualTo(600_000);
    }
}
