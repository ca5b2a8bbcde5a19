package dev.realitycheck.trainer;

import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static dev.realitycheck.security.testing.BearerTokens.withToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.localstack.LocalCredentials;
import dev.realitycheck.proto.v1.CancelRunRequest;
import dev.realitycheck.proto.v1.GetExperimentRequest;
import dev.realitycheck.proto.v1.StartExperimentRequest;
import dev.realitycheck.proto.v1.TrainerServiceGrpc;
import dev.realitycheck.security.testing.SecurityTestProfile;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The trainer with security on: who may call what over gRPC (bearer JWTs), the statuses and messages of a
 * refusal, the counter of refusals, and the probes that stay open.
 */
@QuarkusTest
@TestProfile(SecurityTestProfile.class)
class TrainerSecurityTest {

    @TestHTTPResource
    URL server;

    @AutoClose
    final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.TrainerService", () -> server);

    @Test
    void callsWithoutValidCredentialsAreUnauthenticated() throws Exception {
        LocalCredentials keys = SecurityTestProfile.credentials();
        assertStatus(Status.Code.UNAUTHENTICATED, "authentication required: send 'authorization: Bearer",
                () -> stub().getExperiment(GetExperimentRequest.newBuilder().setExperimentId("exp-1").build()));
        String expired = keys.token("operator", Duration.ofMinutes(-5), "operator");
        assertStatus(Status.Code.UNAUTHENTICATED, "credentials refused", () -> withToken(stub(), expired)
                .startExperiment(StartExperimentRequest.getDefaultInstance()));
        String otherKey = LocalCredentials.create(Files.createTempDirectory("other-key"))
                .token("operator", Duration.ofMinutes(5), "operator");
        assertStatus(Status.Code.UNAUTHENTICATED, "credentials refused", () -> withToken(stub(), otherKey)
                .startExperiment(StartExperimentRequest.getDefaultInstance()));
    }

    @Test
    void aReaderReadsButCannotStartOrCancelAndAnOperatorCan() {
        LocalCredentials keys = SecurityTestProfile.credentials();
        var reader = withToken(stub(), keys.token("rita", Duration.ofMinutes(5), "reader"));
        var operator = withToken(stub(), keys.token("otto", Duration.ofMinutes(5), "operator"));
        // past the role check, the service's own answers
        assertStatus(Status.Code.NOT_FOUND, "no experiment exp-none",
                () -> reader.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("exp-none").build()));
        assertStatus(Status.Code.NOT_FOUND, "no experiment exp-none",
                () -> operator.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("exp-none").build()));
        assertStatus(Status.Code.PERMISSION_DENIED, "lacks the role this call needs",
                () -> reader.startExperiment(StartExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.PERMISSION_DENIED, "lacks the role this call needs",
                () -> reader.cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "spec is missing",
                () -> operator.startExperiment(StartExperimentRequest.getDefaultInstance()));
        assertStatus(Status.Code.NOT_FOUND, "no run r-1",
                () -> operator.cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
    }

    @Test
    void healthAndMetricsStayOpenAndCountTheRefusals() {
        assertStatus(Status.Code.UNAUTHENTICATED, "authentication required",
                () -> stub().cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
        var reader = withToken(stub(), SecurityTestProfile.credentials().token("rita", Duration.ofMinutes(5), "reader"));
        assertStatus(Status.Code.PERMISSION_DENIED, "lacks the role",
                () -> reader.cancelRun(CancelRunRequest.newBuilder().setRunId("r-1").build()));
        endpoints.assertHealthUp();
        endpoints.assertGrpcHealthServing();
        given().baseUri(server.toString()).get("/").then().statusCode(401);
        String metrics = given().baseUri(server.toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("realitycheck_security_denied_total\\{[^}]*protocol=\"grpc\",reason=\"unauthenticated\""
                + "[^}]*service=\"trainer-service\"[^}]*} [1-9]")
                .containsPattern("realitycheck_security_denied_total\\{[^}]*protocol=\"grpc\",reason=\"permission_denied\"[^}]*} [1-9]")
                .containsPattern("realitycheck_security_denied_total\\{[^}]*protocol=\"http\",reason=\"unauthenticated\"[^}]*} [1-9]");
    }

    private TrainerServiceGrpc.TrainerServiceBlockingStub stub() {
        return TrainerServiceGrpc.newBlockingStub(endpoints.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
