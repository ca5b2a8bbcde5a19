package dev.realitycheck.embedding;

import static dev.realitycheck.security.testing.BearerTokens.withToken;
import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;

import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.security.testing.SecurityTestProfile;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS on grpc-java's own Netty server: a client without a certificate is refused during the handshake;
 * a client with a trusted certificate connects, and its calls then need a bearer token for their role (on this
 * server a certificate admits the connection but gives no role: {@code certificate-role-properties} is the HTTP
 * server's, docs/security.md).
 */
@QuarkusTest
@TestProfile(NettyServerMtlsTestProfile.class)
class NettyServerMtlsTest {

    @Test
    void aClientWithACertificateConnectsAndItsTokenGivesTheRole() throws Exception {
        ManagedChannel channel = channel(TlsChannelCredentials.newBuilder().keyManager(MtlsTestProfile.clientKeys())
                .trustManager(MtlsTestProfile.serverTrust()).build());
        try {
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertStatus(Status.Code.UNAUTHENTICATED, "authentication required",
                    () -> stub.getModel(GetModelRequest.getDefaultInstance()));
            String reader = SecurityTestProfile.credentials().token("rita", Duration.ofMinutes(5), "reader");
            // past the role check, the service's own answer: no model is served yet
            assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet",
                    () -> withToken(stub, reader).getModel(GetModelRequest.getDefaultInstance()));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        // the server is up and answers a client with a certificate (its TLS settings took: a server that
        // failed to start would refuse every client as well)
        aClientWithACertificateConnectsAndItsTokenGivesTheRole();
        MtlsTestProfile.assertRefusedWithoutCertificate(NettyServerTestProfile.port());
    }

    private static ManagedChannel channel(ChannelCredentials credentials) {
        return Grpc.newChannelBuilderForAddress("localhost", NettyServerTestProfile.port(), credentials).build();
    }
}
