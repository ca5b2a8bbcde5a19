package dev.realitycheck.localstack;

/** A main class that a test packs into a jar and starts with and without a class archive. */
public final class AotProbe {

    private AotProbe() {
    }

    /** Prints one line, the contract the test reads back. */
    public static void main(String[] args) {
        System.out.println("probe " + String.join(" ", args));
    }
}
