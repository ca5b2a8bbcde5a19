package dev.realitycheck.data.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootsTest {

    @TempDir
    Path tmp;

    private DataRoots roots() throws IOException {
        return new DataRoots(List.of(Files.createDirectories(tmp.resolve("data"))), "realitycheck.test.data-roots");
    }

    @Test
    void aPathUnderARootResolvesNormalised() throws IOException {
        Path cub = Files.createDirectories(tmp.resolve("data/cub"));
        assertThat(roots().resolve(tmp.resolve("data/x/../cub").toString())).isEqualTo(cub.toRealPath());
        assertThat(roots().resolve(tmp.resolve("data/not-yet").toString())).isEqualTo(cub.toRealPath().resolveSibling("not-yet"));
    }

    @Test
    void dotDotCannotEscape() throws IOException {
        Files.createDirectories(tmp.resolve("secret"));
        assertThatThrownBy(() -> roots().resolve(tmp.resolve("data/../secret").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset.path").hasMessageContaining("outside the data roots")
                .hasMessageContaining(tmp.resolve("data").toString()).hasMessageContaining("realitycheck.test.data-roots");
    }

    @Test
    void aSymlinkInsideARootCannotLeadOut() throws IOException {
        DataRoots roots = roots();
        Path secret = Files.createDirectories(tmp.resolve("secret"));
        Path link = Files.createSymbolicLink(tmp.resolve("data/link"), secret);
        assertThatThrownBy(() -> roots.resolve(link.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside the data roots");
        assertThatThrownBy(() -> roots.resolve(link.resolve("cub").toString())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relativePathsAndRootsAreRefused() throws IOException {
        assertThatThrownBy(() -> roots().resolve("data/cub")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> new DataRoots(List.of(Path.of("data")), "s")).isInstanceOf(IllegalArgumentException.class);
    }
}
