package dev.realitycheck.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code bin/realitycheck}: the single entry point; each capability is a subcommand. */
@TopCommand
@Command(name = "realitycheck", mixinStandardHelpOptions = true, version = "realitycheck 0.1.0",
        description = "Deep metric learning, trained and evaluated as \"A Metric Learning Reality Check\" asks.",
        subcommands = {UpCommand.class, StatusCommand.class, DownCommand.class, EvaluateCommand.class, ResultsCommand.class,
                EmbedCommand.class, SearchCommand.class,
                BenchEvalCommand.class, DemoCommand.class, TrainCommand.class,
                RunsCommand.class, ReportCommand.class, ExperimentsCommand.class, GalleryCommand.class,
                GlyphsCommand.class, Figure1Command.class, DatasetCommand.class})
public class RealityCheckCommand {

    /** {@code --token}, for every subcommand: the bearer token the client commands send ({@link BearerToken}). */
    @Option(names = "--token", paramLabel = "JWT", scope = ScopeType.INHERIT,
            description = "bearer token for the services (default: $REALITYCHECK_TOKEN, else the local stack's operator token)")
    void token(String token) {
        BearerToken.use(token);
    }

    /** {@code --tls-ca}, for every subcommand: the CA the client commands trust, which turns TLS on ({@link ServerTrust}). */
    @Option(names = "--tls-ca", paramLabel = "PEM", scope = ScopeType.INHERIT,
            description = "speak TLS to the services, trusting this CA certificate, e.g. the Helm chart's ca.crt (default: $REALITYCHECK_TLS_CA, else plain text)")
    void tlsCa(java.nio.file.Path ca) {
        ServerTrust.use(ca);
    }
}
