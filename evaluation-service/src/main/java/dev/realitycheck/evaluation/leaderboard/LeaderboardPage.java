package dev.realitycheck.evaluation.leaderboard;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.realitycheck.evaluation.results.EvaluationStore;
import dev.realitycheck.proto.v1.ExperimentSummary;
import dev.realitycheck.proto.v1.Leaderboard;
import dev.realitycheck.proto.v1.Split;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The live leaderboard over HTTP, on the service's HTTP port:
 * <ul>
 *   <li>{@code GET /}: every known experiment with its state, runs and best MAP@R so far ({@link ExperimentList}),
 *       linking to its page;</li>
 *   <li>{@code GET /leaderboard/{experimentId}}: the HTML table ({@link LeaderboardHtml});</li>
 *   <li>{@code GET /leaderboard/{experimentId}.json}: the same {@code Leaderboard} message as protobuf JSON;</li>
 *   <li>{@code GET /leaderboard/{experimentId}/events}: Server-Sent Events, one {@code evaluation} event
 *       (data = evaluation id) per new evaluation of the experiment; the page reloads on them.</li>
 * </ul>
 * Query parameters: {@code metric} (as in GetLeaderboardRequest), {@code split} ({@code test} or
 * {@code validation}), {@code rank=concatenated}. Bad parameters: 400 naming the parameter; unknown
 * experiment: 404; an experiment a trainer accepted but nothing evaluated yet: 200, "waiting for the
 * first evaluation", with its runs' progress.
 */
@ApplicationScoped
public class LeaderboardPage {

    @Inject
    Leaderboards leaderboards;

    @Inject
    EvaluationStore store;

    @Inject
    ExperimentList experiments;

    void routes(@Observes Router router) {
        router.get("/").blockingHandler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .end(LeaderboardHtml.home(experiments.all())));
        router.get("/leaderboard/:id/events").handler(this::events);
        router.get("/leaderboard/:id").blockingHandler(this::board);
    }

    private void board(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        boolean json = id.endsWith(".json");
        String experiment = json ? id.substring(0, id.length() - ".json".length()) : id;
        String events = LeaderboardHtml.path(experiment) + "/events";
        HttpServerResponse response = ctx.response();
        try {
            Split split = switch (param(ctx, "split", "test")) {
                case "test" -> Split.SPLIT_TEST;
                case "validation" -> Split.SPLIT_VALIDATION;
                default -> throw new IllegalArgumentException("split must be 'test' or 'validation', got '"
                        + ctx.queryParams().get("split") + "'");
            };
            String rank = param(ctx, "rank", "separated");
            if (!rank.equals("separated") && !rank.equals("concatenated")) {
                throw new IllegalArgumentException("rank must be 'separated' or 'concatenated', got '" + rank + "'");
            }
            Leaderboard board = leaderboards.of(experiment, param(ctx, "metric", ""), split, rank.equals("concatenated"));
            if (json) {
                response.putHeader("Content-Type", "application/json; charset=utf-8").end(JsonFormat.printer().print(board));
            } else {
                Optional<ExperimentSummary> summary = experiments.of(experiment);
                boolean evaluated = !store.list(r -> r.getExperimentId().equals(experiment) && !r.getBaseline()).isEmpty();
                response.putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(evaluated || summary.isEmpty() ? LeaderboardHtml.page(experiment, board, events, summary)
                                : LeaderboardHtml.waiting(experiment, events, summary.get()));
            }
        } catch (IllegalArgumentException e) {
            response.setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(e.getMessage() + "\n");
        } catch (NoSuchElementException e) {
            if (json) {
                response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end(e.getMessage() + "\n");
            } else {
                response.setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
                        .end(LeaderboardHtml.notFound(experiment, e.getMessage(), events));
            }
        } catch (InvalidProtocolBufferException e) {
            response.setStatusCode(500).end(e.getMessage());
        }
    }

    private void events(RoutingContext ctx) {
        String experiment = ctx.pathParam("id");
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        response.write(": watching experiment " + experiment.replace('\n', ' ') + "\n\n");
        Cancellable subscription = store.watch(r -> r.getExperimentId().equals(experiment), false).subscribe().with(
                r -> {
                    if (!response.closed() && !response.ended()) {
                        response.write("event: evaluation\ndata: " + r.getEvaluationId() + "\n\n");
                    }
                });
        response.closeHandler(v -> subscription.cancel());
    }

    private static String param(RoutingContext ctx, String name, String fallback) {
        String v = ctx.queryParams().get(name);
        return v == null ? fallback : v;
    }
}
