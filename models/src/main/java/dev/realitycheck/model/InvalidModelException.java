package dev.realitycheck.model;

import dev.realitycheck.data.DataFileException;
import java.nio.file.Path;

/**
 * A model file, directory or archive exists but is not a valid checkpoint model: not a SavedModel,
 * no {@value EmbedSignature#KEY} signature, wrong tensor types or shapes, an unsafe or oversized
 * archive. Like every {@link DataFileException}, its message is {@code "<path>: <problem>"}.
 */
public class InvalidModelException extends DataFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param path    the offending directory or file (or a stream's description as a path)
     * @param problem what is wrong with it
     */
    public InvalidModelException(Path path, String problem) {
        super(path, problem);
    }

    /**
     * @param path    the offending directory or file
     * @param problem what is wrong with it
     * @param cause   the lower-level failure that revealed the problem, or {@code null}
     */
    public InvalidModelException(Path path, String problem, Throwable cause) {
        super(path, problem, cause);
    }

    /** @return the offending directory or file */
    public Path path() {
        return file();
    }
}
