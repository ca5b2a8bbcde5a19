package dev.realitycheck.embedding;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS: a client certificate whose common name the service maps to the operator role may change a gallery
 * (the call gets past the role check to the service's own answer); a client without a certificate is refused
 * during the handshake.
 */
@QuarkusTest
@TestProfile(MtlsTestProfile.class)
class EmbeddingMtlsTest {

    @TestHTTPResource(tls = true)
    URL server;

    @Test
    void aClientCertificateWithTheOperatorRoleIsAnOperator() throws Exception {
        ManagedChannel channel = channel(TlsChannelCredentials.newBuilder().keyManager(MtlsTestProfile.clientKeys())
                .trustManager(MtlsTestProfile.serverTrust()).build());
        try {
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertStatus(Status.Code.FAILED_PRECONDITION, "", () -> stub.getModel(GetModelRequest.getDefaultInstance()));
            assertThatThrownBy(() -> stub.addToGallery(AddToGalleryRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .as(e.getStatus().toString()).isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED,
                                    Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        MtlsTestProfile.assertRefusedWithoutCertificate(server.getPort());
    }

    private ManagedChannel channel(ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", server.getPort(), credentials).build();
    }
}
