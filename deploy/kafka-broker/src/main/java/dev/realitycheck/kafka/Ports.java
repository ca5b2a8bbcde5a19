package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** The broker's ports: picking free ones, and telling whether one accepts connections. */
final class Ports {

  private Ports() {
  }

  /**
   * A port free on 127.0.0.1 now (another process may take it before the broker binds it).
   *
   * @param avoid at most one port not to return (the other port of the same broker)
   * @return the port
   * @throws IllegalStateException if none is found in ten tries
   */
  static int free(int... avoid) {
    for (int i = 0; i < 10; i++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        int candidate = socket.getLocalPort();
        if (avoid.length == 0 || avoid[0] != candidate) {
          return candidate;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
    throw new IllegalStateException("cannot find a free port");
  }

  /**
   * Whether {@code host:port} accepts a TCP connection within 200 ms.
   *
   * @param host the host
   * @param port the port
   * @return true when it does
   */
  static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
