package dev.realitycheck.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;

/**
 * What every service of this project answers alike on its one port, checked against a running
 * service (a {@code @QuarkusTest}'s): {@code /q/health} is UP with the gRPC server reporting the
 * service serving; {@code /q/metrics} is Prometheus text with JVM metrics and counts a gRPC call
 * by service, method and status code; the gRPC health check answers SERVING; gRPC reflection lists
 * the service and resolves its proto files. It also owns the test's plaintext gRPC channel to the
 * service ({@link #channel()}), opened at first use and shut down by {@link #close()}.
 *
 * <pre>{@code
 * @QuarkusTest
 * class TrainerServiceTest {
 *   @TestHTTPResource
 *   URL server;
 *
 *   @AutoClose
 *   final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.TrainerService", () -> server);
 *
 *   @TestFactory
 *   Stream<DynamicTest> answersLikeEveryService() {
 *     return endpoints.dynamicTests(new FailingCall("GetExperiment", Status.Code.NOT_FOUND, "no experiment",
 *         () -> TrainerServiceGrpc.newBlockingStub(endpoints.channel()).getExperiment(...)));
 *   }
 * }
 * }</pre>
 */
public final class ServiceEndpointChecks implements AutoCloseable {

  private static final long DEADLINE_SECONDS = 10;

  private final String service;
  private final Supplier<URL> server;
  private ManagedChannel channel;

  /**
   * A gRPC call that fails with a known status, made before the metrics are read so that they
   * have a call to count.
   *
   * @param method the gRPC method's name, e.g. {@code GetModel}
   * @param code the status it fails with
   * @param description a part of the status description
   * @param call makes the call (through {@link #channel()})
   */
  public record FailingCall(String method, Status.Code code, String description, ThrowingCallable call) {
  }

  /**
   * Checks for one service.
   *
   * @param service the full gRPC service name, e.g. {@code realitycheck.v1.TrainerService}
   * @param server the service's HTTP (and gRPC) address, read at first use: a test's
   *     {@code @TestHTTPResource URL} field is injected after the test instance is built
   */
  public ServiceEndpointChecks(String service, Supplier<URL> server) {
    this.service = Objects.requireNonNull(service, "service");
    this.server = Objects.requireNonNull(server, "server");
  }

  /**
   * The plaintext gRPC channel to the service, opened at the first call.
   *
   * @return the channel
   */
  public synchronized ManagedChannel channel() {
    if (channel == null) {
      URL url = server.get();
      channel = ManagedChannelBuilder.forAddress(url.getHost(), url.getPort()).usePlaintext().build();
    }
    return channel;
  }

  /**
   * Each check as a test of its own, for a {@code @TestFactory}.
   *
   * @param failing the call the metrics check makes first
   * @param serviceMetrics what the service's metrics text contains besides the JVM's and gRPC's
   *     (metric names, or name and opening brace for labelled ones)
   * @return the health, metrics, gRPC health and reflection checks
   */
  public Stream<DynamicTest> dynamicTests(FailingCall failing, String... serviceMetrics) {
    return Stream.of(
        DynamicTest.dynamicTest("health endpoint is UP and reports " + service + " serving", this::assertHealthUp),
        DynamicTest.dynamicTest("metrics are Prometheus text counting the gRPC call " + failing.method(),
            () -> {
              String metrics = assertMetricsCount(failing);
              for (String metric : serviceMetrics) {
                assertThat(metrics).contains(metric);
              }
            }),
        DynamicTest.dynamicTest("gRPC health check answers SERVING", this::assertGrpcHealthServing),
        DynamicTest.dynamicTest("reflection lists " + service + " and resolves its proto files",
            this::assertReflectionResolvesTheService));
  }

  /** {@code /q/health} answers 200, UP, with the gRPC server check reporting the service serving. */
  public void assertHealthUp() {
    http().get("/q/health")
        .then().statusCode(200)
        .body("status", is("UP"))
        .body("checks.name", hasItem("gRPC Server"))
        .body("checks.find { it.name == 'gRPC Server' }.data.'" + service + "'", is(true));
  }

  /**
   * Makes the failing call (asserting its status), then reads {@code /q/metrics}: Prometheus text
   * with the JVM's metrics and a gRPC server count of that call by service, method and status.
   *
   * @param failing the call to count
   * @return the metrics text, for the service's own metrics
   */
  public String assertMetricsCount(FailingCall failing) {
    assertStatus(failing.code(), failing.description(), failing.call());
    String body = http().get("/q/metrics")
        .then().statusCode(200)
        .extract().asString();
    assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge").contains("jvm_threads_live_threads");
    assertThat(body.lines().filter(line -> line.startsWith("grpc_server_processing_duration_seconds_count{")))
        .anySatisfy(line -> assertThat(line).contains("service=\"" + service + "\"",
            "method=\"" + failing.method() + "\"", "statusCode=\"" + failing.code() + "\""));
    return body;
  }

  /** The standard gRPC health check answers SERVING for the server ("") and for the service. */
  public void assertGrpcHealthServing() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  /**
   * gRPC reflection lists the service and the health service, and resolves the file that defines
   * the service.
   *
   * @throws Exception if the reflection stream fails or does not answer within 10 s
   */
  public void assertReflectionResolvesTheService() throws Exception {
    List<String> services = reflect(ServerReflectionRequest.newBuilder().setListServices("*").build())
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
    assertThat(services).contains(service, "grpc.health.v1.Health");

    ServerReflectionResponse files = reflect(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
    assertThat(files.hasErrorResponse()).as("reflection error: %s", files.getErrorResponse()).isFalse();
    assertThat(files.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  /**
   * Asserts that {@code call} fails with a gRPC status of {@code code} whose description contains
   * {@code description}.
   *
   * @param code the expected status code
   * @param description a part of the expected description
   * @param call the call
   */
  public static void assertStatus(Status.Code code, String description, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(description);
    });
  }

  /** Shuts the channel down, if it was opened. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      channel = null;
    }
  }

  private RequestSpecification http() {
    URL url = server.get();
    return given().baseUri(url.getProtocol() + "://" + url.getHost()).port(url.getPort()).when();
  }

  private ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel())
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new AssertionError("reflection stream ended without an answer"));
          }
        });
    requests.onNext(request);
    requests.onCompleted();
    return answer.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
