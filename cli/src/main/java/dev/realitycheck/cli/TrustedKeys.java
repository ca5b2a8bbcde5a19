package dev.realitycheck.cli;

import dev.realitycheck.localstack.LocalSigningKeys;
import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackState;
import dev.realitycheck.transport.RecordSignatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The public keys the command-line tool checks evaluation results against ({@link RecordSignatures}):
 * a directory given on the command line, else the running local stack's ({@link LocalSigningKeys}).
 */
final class TrustedKeys {

    private TrustedKeys() {
    }

    /** The keys of a local stack this process started (its services sign with them). */
    static RecordSignatures.Verifier of(dev.realitycheck.localstack.LocalStack stack) {
        try {
            return RecordSignatures.Verifier.fromDirectory(LocalSigningKeys.of(stack.runDirectory()).trusted());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * @param dir        {@code --trusted-keys}, or null
     * @param stackBroker true when the broker read is the running local stack's (its keys then apply)
     * @param err        where the warning goes when there is nothing to verify with
     * @return the verifier, or null (with a warning on {@code err}) when no trusted key is known
     * @throws IOException when {@code dir} is given but cannot be read
     */
    static RecordSignatures.Verifier verifier(Path dir, boolean stackBroker, PrintWriter err) throws IOException {
        if (dir != null) {
            return RecordSignatures.Verifier.fromDirectory(dir);
        }
        Optional<StackState> state = stackBroker ? StackAddresses.current().state() : Optional.empty();
        if (state.isPresent()) {
            Path trusted = LocalSigningKeys.of(new RunDirectory(state.get().runDirectory())).trusted();
            if (Files.isDirectory(trusted)) {
                return RecordSignatures.Verifier.fromDirectory(trusted);
            }
        }
        err.println("warning: results are not verified: no trusted keys (give --trusted-keys DIR, or --no-verify)");
        return null;
    }
}
