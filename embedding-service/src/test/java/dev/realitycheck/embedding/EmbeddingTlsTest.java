package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * gRPC over TLS: a grpc-java client trusting the service's self-signed certificate calls GetModel
 * on the HTTPS port and gets the service's own answer (FAILED_PRECONDITION: no model in this
 * profile), while a plain-text client cannot reach it.
 */
@QuarkusTest
@TestProfile(TlsTestProfile.class)
class EmbeddingTlsTest {

    /** The HTTPS port (a free one, {@code test-ssl-port=0}). */
    @TestHTTPResource(tls = true)
    URL server;

    @Test
    void aTlsClientTrustingTheCertificateReachesTheService() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TlsTestProfile.keyStore())) {
            store.load(in, TlsTestProfile.PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", server.getPort(),
                TlsChannelCredentials.newBuilder().trustManager(trust.getTrustManagers()).build()).build();
        try {
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.getModel(GetModelRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPlainTextClientIsRefused() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", server.getPort()).usePlaintext().build();
        try {
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.getModel(GetModelRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> org.assertj.core.api.Assertions
                            .assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.FAILED_PRECONDITION));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
