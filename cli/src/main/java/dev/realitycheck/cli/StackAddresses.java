package dev.realitycheck.cli;

import dev.realitycheck.localstack.RunDirectory;
import dev.realitycheck.localstack.StackService;
import dev.realitycheck.localstack.StackState;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the client commands connect when no {@code --server} / {@code --bootstrap-servers} is
 * given: the local stack that {@code bin/realitycheck up} started (its state file,
 * {@code <run dir>/stack.properties}, while its supervisor runs), else the documented defaults
 * {@code localhost:8081} (trainer), {@code localhost:8082} (embedding), {@code localhost:8083}
 * (evaluation) and {@code 127.0.0.1:9092} (Kafka). The run directory is
 * {@code $REALITYCHECK_RUN_DIR} (the variable {@code deploy/local/stop} reads too), else
 * {@code .run} in the checkout.
 *
 * @param trainer the trainer service, HOST:PORT
 * @param embedding the embedding service, HOST:PORT
 * @param evaluation the evaluation service, HOST:PORT
 * @param bootstrapServers the Kafka broker
 * @param state the running stack's state, empty when none runs
 */
record StackAddresses(String trainer, String embedding, String evaluation, String bootstrapServers,
                      Optional<StackState> state) {

    /** Environment variable naming the run directory. */
    static final String RUN_DIR_ENV = "REALITYCHECK_RUN_DIR";

    /** The addresses when no local stack runs. */
    static final StackAddresses DEFAULTS = new StackAddresses("localhost:" + StackService.TRAINER.defaultPort(),
            "localhost:" + StackService.EMBEDDING.defaultPort(), "localhost:" + StackService.EVALUATION.defaultPort(),
            "127.0.0.1:9092", Optional.empty());

    /** Validates that every address is there. */
    StackAddresses {
        if (trainer == null || embedding == null || evaluation == null || bootstrapServers == null || state == null) {
            throw new IllegalArgumentException("every address is required");
        }
    }

    /** The addresses of the running local stack, else {@link #DEFAULTS}. */
    static StackAddresses current() {
        Optional<RunDirectory> dir = runDirectory();
        if (dir.isEmpty()) {
            return DEFAULTS;
        }
        Optional<StackState> state;
        try {
            state = StackState.read(dir.get().stateFile()).filter(StackState::supervisorAlive);
        } catch (RuntimeException e) { // unreadable or foreign file: the defaults, as without one
            return DEFAULTS;
        }
        return state.map(StackAddresses::of).orElse(DEFAULTS);
    }

    /** The addresses a stack state names. */
    static StackAddresses of(StackState s) {
        return new StackAddresses(s.service(StackService.TRAINER).address(), s.service(StackService.EMBEDDING).address(),
                s.service(StackService.EVALUATION).address(), s.bootstrapServers(), Optional.of(s));
    }

    /** {@code $REALITYCHECK_RUN_DIR}, else {@code .run} in the checkout; empty outside a checkout. */
    static Optional<RunDirectory> runDirectory() {
        String env = System.getenv(RUN_DIR_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(new RunDirectory(Path.of(env)));
        }
        try {
            return Optional.of(new RunDirectory(RepositoryRoot.locate().resolve(".run")));
        } catch (InputException e) {
            return Optional.empty();
        }
    }

    /** The evaluation service's home page: every experiment, each linking to its leaderboard. */
    String experimentsPage() {
        return "http://" + evaluation + "/";
    }
}
