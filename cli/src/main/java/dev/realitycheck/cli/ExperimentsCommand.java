package dev.realitycheck.cli;

import dev.realitycheck.formats.ExperimentCells;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.ListExperimentsRequest;
import dev.realitycheck.proto.v1.ListExperimentsResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code realitycheck experiments}: the experiments the evaluation service knows (its
 * {@code ListExperiments}), newest first, one line each: id, name, state, runs trained and
 * evaluated, best test MAP@R so far. The same list as the service's HTTP home page.
 */
@Command(name = "experiments", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the experiments with their state, runs and best MAP@R so far.")
public class ExperimentsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "the evaluation service (plaintext gRPC; default: the local stack's, else localhost:8083)")
    String server;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "deadline of the call (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ManagedChannel channel = EmbeddingClient.channel(server());
            ListExperimentsResponse response;
            try {
                response = EvaluationServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
                        .listExperiments(ListExperimentsRequest.getDefaultInstance());
            } finally {
                channel.shutdownNow();
            }
            out.print(table(response.getExperimentsList()));
            out.flush();
            return 0;
        } catch (InputException e) {
            spec.commandLine().getErr().println("realitycheck experiments: " + e.getMessage());
            return InputException.EXIT_CODE;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("realitycheck experiments: " + EmbeddingClient.describe(e, server()));
            return 1;
        }
    }

    /** Aligned columns with a header, then "N experiments"; "no experiments yet" when there is none. */
    static String table(List<ExperimentSummary> experiments) {
        if (experiments.isEmpty()) {
            return "no experiments yet: submit one with `realitycheck train --spec FILE`\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"EXPERIMENT", "NAME", "STATE", "RUNS", "BEST TEST MAP@R"});
        for (ExperimentSummary s : experiments) {
            rows.add(new String[] {s.getExperimentId(), s.getName().isEmpty() ? "-" : s.getName(),
                    ExperimentCells.state(s.getState()), ExperimentCells.runs(s), ExperimentCells.best(s)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
            }
            b.append('\n');
        }
        return b.append(experiments.size()).append(experiments.size() == 1 ? " experiment\n" : " experiments\n").toString();
    }

    /** {@code --server}, else the local stack's evaluation service ({@link StackAddresses}). */
    private String server() {
        if (server == null) {
            server = StackAddresses.current().evaluation();
        }
        return server;
    }
}
