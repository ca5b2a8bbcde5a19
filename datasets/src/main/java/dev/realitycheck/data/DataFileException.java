package dev.realitycheck.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A data file could be opened but its contents are not what its format requires.
 *
 * <p>The message is always {@code "<file>: <problem>"}, so that a user who sees only the message
 * knows which file to look at and what is wrong with it.
 */
public class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /**
     * @param file    the offending file
     * @param problem what is wrong with it, e.g. {@code "truncated data: expected 24 bytes, found 20"}
     */
    public DataFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     * @param cause   the lower-level failure that revealed the problem, or {@code null}
     */
    public DataFileException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.file = file;
        this.problem = problem;
    }

    /** @return the offending file */
    public Path file() {
        return file;
    }

    /** @return the problem alone, without the file name */
    public String problem() {
        return problem;
    }
}
