package dev.realitycheck.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.realitycheck.proto.v1.EmbeddingServiceGrpc;
import dev.realitycheck.proto.v1.GetModelRequest;
import dev.realitycheck.security.testing.SecurityTestProfile;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Security on and mutual TLS required: the service's key store is {@link TlsTestProfile}'s, its trust store holds
 * one client certificate (CN=operator, generated here with keytool), and
 * {@code quarkus.http.auth.certificate-role-properties} gives that common name the operator role.
 */
public class MtlsTestProfile extends SecurityTestProfile {

    private static Path dir;

    /** The directory holding {@code client.p12} (the operator's key and certificate) and the trust store. */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("embedding-mtls");
                String pw = TlsTestProfile.PASSWORD;
                TlsTestProfile.keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=operator", "-storetype", "PKCS12",
                        "-keystore", d.resolve("client.p12").toString(), "-storepass", pw, "-keypass", pw);
                TlsTestProfile.keytool("-exportcert", "-rfc", "-alias", "client", "-keystore",
                        d.resolve("client.p12").toString(), "-storepass", pw, "-file", d.resolve("client.crt").toString());
                TlsTestProfile.keytool("-importcert", "-noprompt", "-alias", "client", "-file",
                        d.resolve("client.crt").toString(), "-storetype", "PKCS12",
                        "-keystore", d.resolve("trust.p12").toString(), "-storepass", pw);
                Files.writeString(d.resolve("cert-roles.properties"), "operator=operator\n");
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The client's side: the operator certificate's key managers ({@code client.p12}). */
    static KeyManager[] clientKeys() throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(dir().resolve("client.p12")), TlsTestProfile.PASSWORD.toCharArray());
        return keys.getKeyManagers();
    }

    /** The client's trust in the server: its self-signed certificate ({@link TlsTestProfile#keyStore}). */
    static TrustManager[] serverTrust() throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(TlsTestProfile.keyStore()));
        return trust.getTrustManagers();
    }

    /**
     * A client that trusts the server but has no certificate of its own is refused during the handshake: its call
     * fails with UNAVAILABLE.
     */
    static void assertRefusedWithoutCertificate(int port) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port,
                TlsChannelCredentials.newBuilder().trustManager(serverTrust()).build()).build();
        try {
            var stub = EmbeddingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.getModel(GetModelRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                            .isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, TlsTestProfile.PASSWORD.toCharArray());
        }
        return store;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.putAll(new TlsTestProfile().getConfigOverrides());
        config.put("quarkus.http.test-ssl-port", "0");
        config.put("quarkus.tls.trust-store.p12.path", dir().resolve("trust.p12").toString());
        config.put("quarkus.tls.trust-store.p12.password", TlsTestProfile.PASSWORD);
        config.put("quarkus.http.ssl.client-auth", "required");
        config.put("quarkus.http.auth.certificate-role-properties", dir().resolve("cert-roles.properties").toString());
        return config;
    }
}
