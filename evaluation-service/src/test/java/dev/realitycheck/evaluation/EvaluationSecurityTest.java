package dev.realitycheck.evaluation;

import static dev.realitycheck.security.testing.BearerTokens.withToken;
import static dev.realitycheck.testsupport.ServiceEndpointChecks.assertStatus;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realitycheck.localstack.LocalCredentials;
import dev.realitycheck.proto.v1.EvaluationServiceGrpc;
import dev.realitycheck.proto.v1.GetEvaluationRequest;
import dev.realitycheck.security.testing.SecurityTestProfile;
import dev.realitycheck.testsupport.ServiceEndpointChecks;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The evaluation service with security on: its HTML pages need the reader role (401 without credentials or with
 * credentials that do not verify, 403 without the role, 200 for a reader or an operator), its RPCs too, while
 * health and metrics stay open and count the refusals.
 */
@QuarkusTest
@TestProfile(SecurityTestProfile.class)
class EvaluationSecurityTest {

    @TestHTTPResource
    URL server;

    @AutoClose
    final ServiceEndpointChecks endpoints = new ServiceEndpointChecks("realitycheck.v1.EvaluationService", () -> server);

    @Test
    void thePagesNeedTheReaderRole() {
        LocalCredentials keys = SecurityTestProfile.credentials();
        given().baseUri(server.toString()).get("/leaderboard/exp-none").then().statusCode(401);
        given().baseUri(server.toString()).auth().oauth2(keys.token("ann", Duration.ofMinutes(-5), "reader"))
                .get("/leaderboard/exp-none").then().statusCode(401);
        given().baseUri(server.toString()).auth().oauth2(keys.token("nobody", Duration.ofMinutes(5), "guest"))
                .get("/").then().statusCode(403);
        given().baseUri(server.toString()).auth().oauth2(keys.token("rita", Duration.ofMinutes(5), "reader"))
                .get("/").then().statusCode(200);
        given().baseUri(server.toString()).auth().oauth2(keys.token("otto", Duration.ofMinutes(5), "operator"))
                .get("/").then().statusCode(200);

        String metrics = given().baseUri(server.toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("realitycheck_security_denied_total\\{[^}]*protocol=\"http\",reason=\"unauthenticated\"[^}]*} [2-9]")
                .containsPattern("realitycheck_security_denied_total\\{[^}]*protocol=\"http\",reason=\"permission_denied\"[^}]*} [1-9]");
        endpoints.assertHealthUp();
    }

    @Test
    void theRpcsNeedTheReaderRoleToo() {
        LocalCredentials keys = SecurityTestProfile.credentials();
        var stub = EvaluationServiceGrpc.newBlockingStub(endpoints.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
        GetEvaluationRequest request = GetEvaluationRequest.newBuilder().setEvaluationId("ev-none").build();
        assertStatus(Status.Code.UNAUTHENTICATED, "authentication required", () -> stub.getEvaluation(request));
        assertStatus(Status.Code.PERMISSION_DENIED, "lacks the role",
                () -> withToken(stub, keys.token("nobody", Duration.ofMinutes(5), "guest")).getEvaluation(request));
        assertStatus(Status.Code.NOT_FOUND, "",
                () -> withToken(stub, keys.token("rita", Duration.ofMinutes(5), "reader")).getEvaluation(request));
    }
}
