package dev.realitycheck.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout that holds the services' packaged applications: the system property
 * {@value #PROPERTY} (bin/realitycheck sets it), else the first directory upwards from the working
 * directory with {@code deploy/kafka-broker/pom.xml}.
 */
final class RepositoryRoot {

    /** System property naming the repository root. */
    static final String PROPERTY = "realitycheck.home";

    private RepositoryRoot() {
    }

    static Path locate() {
        String home = System.getProperty(PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/kafka-broker/pom.xml"))) {
                return dir;
            }
        }
        throw new InputException("cannot find the Reality Check checkout: run bin/realitycheck from it, or pass -D"
                + PROPERTY + "=DIR");
    }
}
