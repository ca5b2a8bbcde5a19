package dev.realitycheck.trainer.grpc;

import dev.realitycheck.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.google.protobuf.Timestamp;
import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.Experiment;
import dev.realitycheck.proto.v1.ExperimentRecord;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.ListRunsRequest;
import dev.realitycheck.proto.v1.ListRunsResponse;
import dev.realitycheck.proto.v1.Run;
import dev.realitycheck.proto.v1.RunProgress;
import dev.realitycheck.proto.v1.RunSpec;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentResponse;
import dev.realitycheck.proto.v1.TrainerService;
import dev.realitycheck.proto.v1.WatchRunRequest;
import dev.realitycheck.trainer.experiments.ExperimentValidator;
import dev.realitycheck.trainer.runs.InvalidSpecException;
import dev.realitycheck.trainer.runs.RunPlanner;
import dev.realitycheck.trainer.runs.RunQueue;
import dev.realitycheck.trainer.runs.RunStore;
import dev.realitycheck.trainer.runs.SpecLimitException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The gRPC face of the trainer-service ({@code realitycheck.v1.TrainerService}).
 *
 * <p>{@code StartExperiment} validates the whole spec ({@link ExperimentValidator}; a bad one gets
 * {@code INVALID_ARGUMENT} naming the field and nothing is queued; one over a configured bound,
 * {@code realitycheck.trainer.limits}, gets {@code RESOURCE_EXHAUSTED} naming the field, its value
 * and the limit, before the dataset is read), expands it into runs
 * (losses x folds x seeds, {@link RunPlanner}) and queues them on {@code realitycheck.runs}
 * ({@code UNAVAILABLE} when the broker does not take them). A {@code request_id} makes it
 * idempotent: the same id names the same experiment, which is not queued twice. The accepted
 * experiment is published on {@code realitycheck.experiments} before its runs are queued.
 * Experiments and runs come from the {@link RunStore}, which every pod keeps from
 * {@code realitycheck.run-events} and {@code realitycheck.experiments}: every pod answers for every
 * run. {@code CancelRun} cancels a queued or running run on any pod (the pod training it stops it);
 * {@code WatchRun} streams every state change and validation, and per-iteration progress on the
 * pod that trains the run. Errors are explicit statuses, never {@code UNKNOWN}.
 */
@GrpcService
public class TrainerGrpcService implements TrainerService {

    private static final Logger LOG = Logger.getLogger(TrainerGrpcService.class);

    /** Page size of ListRuns when the request gives none. */
    static final int DEFAULT_PAGE_SIZE = 100;
    /** Largest page of ListRuns. */
    static final int MAX_PAGE_SIZE = 1000;

    @Inject
    ExperimentValidator validator;

    @Inject
    RunStore store;

    @Inject
    RunQueue queue;

    @Override
    @RolesAllowed(Roles.OPERATOR)
    public Uni<StartExperimentResponse> startExperiment(StartExperimentRequest request) {
        return blocking(() -> start(request));
    }

    private StartExperimentResponse start(StartExperimentRequest request) {
        if (!request.hasSpec()) {
            throw Status.INVALID_ARGUMENT.withDescription("spec is missing").asRuntimeException();
        }
        String id = RunPlanner.experimentId(request.getRequestId());
        if (store.experiment(id).isPresent()) {
            return response(id, store.runs(id, dev.realitycheck.proto.v1.RunState.RUN_STATE_UNSPECIFIED).stream()
                    .map(Run::getSpec).toList());
        }
        Instant t = Instant.now();
        Timestamp now = Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
        List<RunSpec> runs;
        try {
            runs = validator.validate(id, request.getSpec(), now);
        } catch (SpecLimitException e) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
        } catch (InvalidSpecException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
        }
        if (!store.addExperiment(id, request.getSpec(), now, runs)) {
            return response(id, runs);
        }
        try {
            queue.publish(ExperimentRecord.newBuilder().setExperimentId(id).setSpec(request.getSpec()).setCreatedAt(now)
                    .build());
            queue.publish(runs);
        } catch (RunQueue.QueueUnavailableException e) {
            store.removeExperiment(id);
            throw Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException();
        }
        LOG.infof("experiment %s (%s) queued %d runs", id, request.getSpec().getName(), runs.size());
        return response(id, runs);
    }

    private static StartExperimentResponse response(String id, List<RunSpec> runs) {
        return StartExperimentResponse.newBuilder().setExperimentId(id).addAllRuns(runs).build();
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<Experiment> getExperiment(GetExperimentRequest request) {
        return blocking(() -> {
            requireNonEmpty(request.getExperimentId(), "experiment_id");
            return store.experiment(request.getExperimentId()).orElseThrow(() -> Status.NOT_FOUND
                    .withDescription("no experiment " + request.getExperimentId() + " in this trainer").asRuntimeException());
        });
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Uni<ListRunsResponse> listRuns(ListRunsRequest request) {
        return blocking(() -> {
            if (request.getPageSize() < 0) {
                throw Status.INVALID_ARGUMENT.withDescription("page_size must be >= 0, got " + request.getPageSize())
                        .asRuntimeException();
            }
            int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, request.getPageSize());
            int from;
            try {
                from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0) {
                throw Status.INVALID_ARGUMENT.withDescription("page_token '" + request.getPageToken()
                        + "' is not a token this trainer gave").asRuntimeException();
            }
            List<Run> runs = store.runs(request.getExperimentId(), request.getState());
            ListRunsResponse.Builder b = ListRunsResponse.newBuilder()
                    .addAllRuns(runs.subList(Math.min(from, runs.size()), Math.min(from + size, runs.size())));
            if (from + size < runs.size()) {
                b.setNextPageToken(Integer.toString(from + size));
            }
            return b.build();
        });
    }

    @Override
    @RolesAllowed(Roles.OPERATOR)
    public Uni<Run> cancelRun(CancelRunRequest request) {
        return blocking(() -> {
            requireNonEmpty(request.getRunId(), "run_id");
            RunStore.CancelOutcome outcome = store.cancel(request.getRunId(), request.getReason());
            return switch (outcome) {
                case NOT_FOUND -> throw Status.NOT_FOUND.withDescription("no run " + request.getRunId()
                        + " in this trainer").asRuntimeException();
                case ALREADY_DONE -> throw Status.FAILED_PRECONDITION.withDescription("run " + request.getRunId()
                        + " already ended: " + store.run(request.getRunId()).map(Run::getState).orElse(null))
                        .asRuntimeException();
                case CANCELLED -> store.run(request.getRunId()).orElseThrow();
            };
        });
    }

    @Override
    @RolesAllowed(Roles.READER)
    public Multi<RunProgress> watchRun(WatchRunRequest request) {
        if (request.getRunId().isEmpty()) {
            return Multi.createFrom().failure(invalid("run_id is missing"));
        }
        return Multi.createFrom().emitter(emitter -> {
            var unsubscribe = store.watch(request.getRunId(), p -> {
                emitter.emit(p);
                if (RunStore.isTerminal(p.getState())) {
                    emitter.complete();
                }
            });
            if (unsubscribe.isEmpty()) {
                emitter.fail(Status.NOT_FOUND.withDescription("no run " + request.getRunId() + " in this trainer")
                        .asRuntimeException());
            } else {
                emitter.onTermination(unsubscribe.get());
            }
        });
    }

    private static void requireNonEmpty(String value, String field) {
        if (value.isEmpty()) {
            throw invalid(field + " is missing");
        }
    }

    private static StatusRuntimeException invalid(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    /** Runs off the event loop; anything but a gRPC status becomes INTERNAL with its message. */
    private static <T> Uni<T> blocking(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(f -> !(f instanceof StatusRuntimeException))
                .transform(f -> {
                    LOG.errorf(f, "trainer RPC failed");
                    return Status.INTERNAL.withDescription(f.toString()).withCause(f).asRuntimeException();
                });
    }
}
