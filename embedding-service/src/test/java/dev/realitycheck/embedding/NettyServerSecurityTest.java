package dev.realitycheck.embedding;

import static dev.realitycheck.security.testing.BearerTokens.withToken;
import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;

import dev.realitycheck.localstack.LocalCredentials;
import dev.realitycheck.proto.v1.AddToGalleryRequest;
import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.security.testing.SecurityTestProfile;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bearer JWTs on grpc-java's own Netty server ({@code use-separate-server=true}), which Quarkus' HTTP
 * authentication does not cover ({@code SeparateServerTokens} does): the same statuses and messages as on the
 * default server (a call without a token or with a bad one is UNAUTHENTICATED, a reader may read but not change
 * the gallery, an operator may).
 */
@QuarkusTest
@TestProfile(NettyServerTestProfile.class)
class NettyServerSecurityTest {

    private ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = Grpc.newChannelBuilderForAddress("localhost", NettyServerTestProfile.port(),
                InsecureChannelCredentials.create()).build();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aCallWithoutAValidTokenIsUnauthenticated() throws Exception {
        assertStatus(Status.Code.UNAUTHENTICATED, "authentication required: send 'authorization: Bearer",
                () -> stub().getModel(GetModelRequest.getDefaultInstance()));
        LocalCredentials keys = SecurityTestProfile.credentials();
        String expired = keys.token("rita", Duration.ofMinutes(-5), "reader");
        assertStatus(Status.Code.UNAUTHENTICATED, "credentials refused",
                () -> withToken(stub(), expired).getModel(GetModelRequest.getDefaultInstance()));
        String otherKey = LocalCredentials.create(Files.createTempDirectory("other-key"))
                .token("rita", Duration.ofMinutes(5), "reader");
        assertStatus(Status.Code.UNAUTHENTICATED, "credentials refused",
                () -> withToken(stub(), otherKey).getModel(GetModelRequest.getDefaultInstance()));
    }

    @Test
    void aValidTokenPassesWithItsRole() {
        LocalCredentials keys = SecurityTestProfile.credentials();
        var reader = withToken(stub(), keys.token("rita", Duration.ofMinutes(5), "reader"));
        var operator = withToken(stub(), keys.token("otto", Duration.ofMinutes(5), "operator"));
        // past the role check, the service's own answer: no model is served yet
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet",
                () -> reader.getModel(GetModelRequest.getDefaultInstance()));
        assertStatus(Status.Code.PERMISSION_DENIED, "lacks the role this call needs",
                () -> reader.addToGallery(AddToGalleryRequest.getDefaultInstance()));
        assertStatus(Status.Code.FAILED_PRECONDITION, "no checkpoint has been loaded yet",
                () -> operator.getModel(GetModelRequest.getDefaultInstance()));
    }

    private EmbeddingServiceGrpc.EmbeddingServiceBlockingStub stub() {
        return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
