package dev.realitycheck.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file, directory or archive exists but is not a valid checkpoint model: not a SavedModel,
 * no {@value EmbedSignature#KEY} signature, wrong tensor types or shapes, an unsafe or oversized
 * archive.
 *
 * <p>The message is always {@code "<path>: <problem>"}, so that whoever sees only the message
 * knows which model to look at and what is wrong with it.
 */
public class InvalidModelException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String problem;

    /**
     * @param path    the offending directory or file (or a stream's description as a path)
     * @param problem what is wrong with it
     */
    public InvalidModelException(Path path, String problem) {
        this(path, problem, null);
    }

    /**
     * @param path    the offending directory or file
     * @param problem what is wrong with it
     * @param cause   the lower-level failure that revealed the problem, or {@code null}
     */
    public InvalidModelException(Path path, String problem, Throwable cause) {
        super(Objects.requireNonNull(path, "path") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.path = path;
        this.problem = problem;
    }

    /** @return the offending directory or file */
    public Path path() {
        return path;
    }

    /** @return the problem alone, without the path */
    public String problem() {
        return problem;
    }
}
