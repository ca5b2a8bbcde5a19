package dev.realitycheck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.data.Npy;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embed} and {@code search}: bad input is a one-line error with exit code 2, and a server
 * that is not there is one line naming its address, exit code 1, not a hang. (The service side of the
 * happy path is tested in embedding-service against a real broker and real models.)
 */
@QuarkusMainTest
class EmbedSearchCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatIsNeitherNpyNorAnImageIsRejected(QuarkusMainLauncher launcher) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");

        LaunchResult result = launcher.launch("embed", "--server", "127.0.0.1:1", text.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("notes.txt: not a .npy, .png, .jpg or .jpeg file");
    }

    @Test
    void aMissingFileAndABadServerAddressAreNamed(QuarkusMainLauncher launcher) throws IOException {
        Path rows = dir.resolve("rows.npy");
        Npy.writeFloatMatrix(rows, 2, 3, new float[6]);

        LaunchResult missing = launcher.launch("search", "--server", "127.0.0.1:1", dir.resolve("nope.png").toString());
        LaunchResult address = launcher.launch("embed", "--server", "localhost", rows.toString());
        LaunchResult badK = launcher.launch("search", "--server", "127.0.0.1:1", "--k", "0", rows.toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.getErrorOutput()).contains("nope.png: no such file");
        assertThat(address.exitCode()).isEqualTo(2);
        assertThat(address.getErrorOutput()).contains("--server must be HOST:PORT");
        assertThat(badK.exitCode()).isEqualTo(2);
        assertThat(badK.getErrorOutput()).contains("--k must be >= 1, got 0");
    }

    @Test
    void anAbsentServerIsUnavailableNotAHang(QuarkusMainLauncher launcher) throws IOException {
        Path rows = dir.resolve("rows.npy");
        Npy.writeFloatMatrix(rows, 1, 3, new float[] {1, 2, 3});

        LaunchResult result = launcher.launch("embed", "--server", "127.0.0.1:1", rows.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput().strip())
                .isEqualTo("realitycheck embed: nothing answers at 127.0.0.1:1; start the local stack with bin/realitycheck up");
    }
}
