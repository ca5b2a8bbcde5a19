package dev.realitycheck.embedding.batching;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Makes the client's deadline visible to the service on Quarkus' Vert.x gRPC server, whose
 * {@code Context.current().getDeadline()} is null: reads the {@code grpc-timeout} header and puts the
 * deadline in the call's {@link Context} under {@link #KEY} (no timer, nothing to cancel);
 * {@link #of(Context)} gives whichever deadline a context carries.
 *
 * <p>It lives beside its one reader, the {@link MicroBatcher}, which drops queued requests whose
 * deadline passed; Quarkus applies it to every gRPC service as a {@link GlobalInterceptor}.
 */
@GlobalInterceptor
@ApplicationScoped
public class RequestDeadlines implements ServerInterceptor {

    /** The request's deadline, when the client set one. */
    public static final Context.Key<Deadline> KEY = Context.key("realitycheck-request-deadline");

    private static final Metadata.Key<String> TIMEOUT = Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String timeout = headers.get(TIMEOUT);
        Deadline deadline = timeout == null ? null : parse(timeout);
        if (deadline == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(KEY, deadline), call, headers, next);
    }

    /** The context's own deadline, else the one this interceptor recorded, else null. */
    public static Deadline of(Context context) {
        Deadline own = context.getDeadline();
        return own != null ? own : KEY.get(context);
    }

    /** Parses a {@code grpc-timeout} value (digits and a unit of H, M, S, m, u, n); null when malformed. */
    static Deadline parse(String value) {
        if (value.length() < 2 || value.length() > 9) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
        TimeUnit unit = switch (value.charAt(value.length() - 1)) {
            case 'H' -> TimeUnit.HOURS;
            case 'M' -> TimeUnit.MINUTES;
            case 'S' -> TimeUnit.SECONDS;
            case 'm' -> TimeUnit.MILLISECONDS;
            case 'u' -> TimeUnit.MICROSECONDS;
            case 'n' -> TimeUnit.NANOSECONDS;
            default -> null;
        };
        return unit == null || amount < 0 ? null : Deadline.after(amount, unit);
    }
}
