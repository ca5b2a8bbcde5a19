package dev.realitycheck.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * A free local TCP port for a server whose port a test must know before it starts (a service's own
 * process, or grpc-java's separate gRPC server, whose bound port Quarkus does not report).
 */
public final class TestPorts {

    private TestPorts() {
    }

    /** A port no socket on this machine listens on now (the OS's choice of an ephemeral port). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
