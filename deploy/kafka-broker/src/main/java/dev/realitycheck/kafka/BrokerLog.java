package dev.realitycheck.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The file that a broker's JVM and its storage tool append their output to, and that error
 * messages quote the end of.
 *
 * @param file the log file
 */
record BrokerLog(Path file) {

  private static final int TAIL_LINES = 40;

  /**
   * Appends a line that marks what {@link LocalKafkaBroker} does next (a format, a start).
   *
   * @param what the step
   * @throws IOException if the file cannot be written
   */
  void appendMarker(String what) throws IOException {
    Files.writeString(file, "==== " + Instant.now() + " LocalKafkaBroker: " + what + " ====\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Where the next output will start, for {@link #tail(long)}.
   *
   * @return the file's size, 0 when it does not exist yet
   * @throws IOException if the size cannot be read
   */
  long end() throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /**
   * The last 40 lines written since {@code offset}.
   *
   * @param offset a value of {@link #end()} taken before
   * @return the lines, or a note that the file could not be read
   */
  String tail(long offset) {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(Math.min(offset, Files.size(file)));
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - TAIL_LINES), lines.length));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
