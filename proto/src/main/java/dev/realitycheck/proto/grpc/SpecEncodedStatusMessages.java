package dev.realitycheck.proto.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;

/**
 * Sends every error's description in the {@code grpc-message} trailer percent-encoded exactly as
 * the gRPC spec asks (PROTOCOL-HTTP2: only bytes outside {@code 0x20-0x7E}, and {@code %}), so
 * that every client reads the text the service wrote.
 *
 * <p>Why it is needed: the services answer gRPC on the Vert.x HTTP server
 * ({@code quarkus.grpc.server.use-separate-server=false}, {@link GrpcServerMode}), and Vert.x gRPC 4.5
 * encodes the description with {@link java.net.URLEncoder}, which also escapes printable ASCII such as
 * {@code ,} {@code [} {@code (} {@code :}. grpc-java and gRPC C-core decode any escape, but
 * grpc-js (Node) decodes with {@code decodeURI}, which leaves the escapes of URI-reserved
 * characters in place: {@code "has 10 values, the model expects 784"} arrived as
 * {@code "has 10 values%2C the model expects 784"}. Vert.x writes its own {@code grpc-message}
 * only when the status has a description, so this interceptor puts the spec-encoded text into
 * the trailers itself and closes the call with the same code, cause and no description.
 *
 * <p>On grpc-java's own Netty server ({@code use-separate-server=true}) it stands aside: that server
 * encodes the description as the spec asks, and it drops a {@code grpc-message} put in the trailers
 * by the application, so taking the description away there left every error without its message.
 *
 * <p>Registered for every service of the application that has this module (a
 * {@link GlobalInterceptor} bean; the module has a {@code beans.xml}).
 */
@ApplicationScoped
@GlobalInterceptor
public class SpecEncodedStatusMessages implements ServerInterceptor {

    /** The status-message trailer, sent as is: {@link #encode} has made it legal ASCII. */
    static final Metadata.Key<String> GRPC_MESSAGE = Metadata.Key.of("grpc-message", Metadata.ASCII_STRING_MARSHALLER);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Inject
    GrpcServerMode serverMode;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (serverMode.separateServer()) {
            return next.startCall(call, headers);
        }
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                String description = status.getDescription();
                if (status.isOk() || description == null) {
                    super.close(status, trailers);
                    return;
                }
                trailers.removeAll(GRPC_MESSAGE);
                trailers.put(GRPC_MESSAGE, encode(description));
                super.close(status.withDescription(null), trailers);
            }
        }, headers);
    }

    /**
     * The spec's Percent-Encoded form of a status message: its UTF-8 bytes, each of
     * {@code 0x20-0x7E} except {@code %} as itself, every other byte as {@code %XX}.
     */
    public static String encode(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        StringBuilder encoded = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v >= 0x20 && v <= 0x7e && v != '%') {
                encoded.append((char) v);
            } else {
                encoded.append('%').append(HEX[v >>> 4]).append(HEX[v & 0xf]);
            }
        }
        return encoded.toString();
    }
}
