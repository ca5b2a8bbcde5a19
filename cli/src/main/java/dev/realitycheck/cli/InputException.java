package dev.realitycheck.cli;

/** Bad user input (a file, a value): printed as one line, exit code {@value #EXIT_CODE}. */
public class InputException extends RuntimeException {

    /** Exit code for bad input, like picocli's usage errors. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
