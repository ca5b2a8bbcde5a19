package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.proto.v1.GetModelResponse;
import dev.realitycheck.testsupport.TestCertificates;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands' channel speaks TLS to a real gRPC server when given a CA ({@code --tls-ca}),
 * and refuses a server whose certificate that CA did not sign; without one it is plain text, which a
 * TLS-only server does not answer.
 */
class ServerTrustTest {

    @TempDir
    static Path dir;

    private static Server server;
    private static TestCertificates certificates;
    private static TestCertificates other;

    @BeforeAll
    static void startTlsServer() throws Exception {
        certificates = TestCertificates.localhost(dir, "server");
        other = TestCertificates.localhost(dir, "other");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.keyStore())) {
            store.load(in, certificates.password().toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, certificates.password().toCharArray());
        server = Grpc.newServerBuilderForPort(0, TlsServerCredentials.newBuilder().keyManager(keys.getKeyManagers()).build())
                .addService(new EmbeddingServiceGrpc.EmbeddingServiceImplBase() {
                    @Override
                    public void getModel(GetModelRequest request, StreamObserver<GetModelResponse> response) {
                        response.onNext(GetModelResponse.newBuilder().setCheckpointId("served-over-tls").build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    @AfterEach
    void trustNothing() {
        ServerTrust.use(null);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void withTheServersCaTheCallGoesThroughTls() throws InterruptedException {
        ServerTrust.use(certificates.certificate());
        assertThat(getModel().getCheckpointId()).isEqualTo("served-over-tls");
    }

    @Test
    void aCertificateSignedByAnotherCaIsRefused() throws InterruptedException {
        ServerTrust.use(other.certificate());
        assertThatThrownBy(this::getModel).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void withoutACaThePlainTextChannelGetsNoAnswerFromATlsServer() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(ServerTrust.ENV) == null, "REALITYCHECK_TLS_CA is set");
        assertThatThrownBy(this::getModel).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aMissingOrBrokenCaFileIsAnInputError() throws Exception {
        ServerTrust.use(dir.resolve("absent.crt"));
        assertThatThrownBy(() -> EmbeddingClient.channel("localhost:1")).isInstanceOf(InputException.class)
                .hasMessageContaining("absent.crt: no such file");
        ServerTrust.use(Files.writeString(dir.resolve("garbage.crt"), "not a certificate"));
        assertThatThrownBy(() -> EmbeddingClient.channel("localhost:1")).isInstanceOf(InputException.class)
                .hasMessageContaining("not a PEM certificate");
    }

    private GetModelResponse getModel() throws InterruptedException {
        ManagedChannel channel = EmbeddingClient.channel("localhost:" + server.getPort());
        try {
            return EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .getModel(GetModelRequest.getDefaultInstance());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
