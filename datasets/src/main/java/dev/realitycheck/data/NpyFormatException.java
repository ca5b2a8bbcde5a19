package dev.realitycheck.data;

import java.nio.file.Path;

/** A {@code .npy} file breaks the NumPy format, or holds an array this library does not read. */
public class NpyFormatException extends DataFileException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     */
    public NpyFormatException(Path file, String problem) {
        super(file, problem);
    }

    /**
     * @param file    the offending file
     * @param problem what is wrong with it
     * @param cause   the lower-level failure that revealed the problem
     */
    public NpyFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
