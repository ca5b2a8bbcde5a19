package dev.realitycheck.data;

import java.nio.file.Path;

/** An IDX file (MNIST family) breaks the format, or does not fit the file it is paired with. */
public class IdxFormatException extends DataFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     */
    public IdxFormatException(Path file, String problem) {
        super(file, problem);
    }

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     * @param cause   the lower-level failure that revealed the problem
     */
    public IdxFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
