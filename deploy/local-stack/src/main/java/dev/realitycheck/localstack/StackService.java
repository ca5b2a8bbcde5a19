package dev.realitycheck.localstack;

import java.nio.file.Path;

/**
 * The three services of the local stack: their Maven module (whose build leaves the packaged
 * application in {@code target/quarkus-app/quarkus-run.jar}), their default port (HTTP, health,
 * metrics and gRPC share it) and the configuration prefix of their settings.
 */
public enum StackService {

    /** Experiments over gRPC, runs trained from {@code realitycheck.runs}, checkpoints to Kafka. */
    TRAINER("trainer-service", 8081, "realitycheck.trainer", "/q/health/ready"),
    /** Scores every checkpoint, publishes {@code realitycheck.evaluations}, serves the leaderboard. */
    EVALUATION("evaluation-service", 8083, "realitycheck.evaluation", "/q/health/ready"),
    /**
     * Serves vectors of a checkpoint over gRPC. Ready before any checkpoint exists (its health
     * details and a gauge say "no model yet"), so the local stack waits for its readiness too.
     */
    EMBEDDING("embedding-service", 8082, "realitycheck.embedding", "/q/health/ready");

    /** The packaged application, relative to a module directory. */
    public static final String RUNNER_JAR = "target/quarkus-app/quarkus-run.jar";

    private final String module;
    private final int defaultPort;
    private final String configPrefix;
    private final String startedPath;

    StackService(String module, int defaultPort, String configPrefix, String startedPath) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.configPrefix = configPrefix;
        this.startedPath = startedPath;
    }

    /** The Maven module's directory name (also the name of its log and pid file). */
    public String module() {
        return module;
    }

    /** The port in the service's application.properties. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Prefix of the service's {@code @ConfigMapping}, e.g. {@code realitycheck.trainer}. */
    public String configPrefix() {
        return configPrefix;
    }

    /** The health path that is UP once the service has started and can do its work. */
    public String startedPath() {
        return startedPath;
    }

    /** {@code <root>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public Path runnerJar(Path repositoryRoot) {
        return repositoryRoot.resolve(module).resolve(RUNNER_JAR);
    }
}
