package io.edgefleet.controlplane.auth;

import static io.edgefleet.controlplane.testing.TestAuth.asAdmin;
import static io.edgefleet.controlplane.testing.TestAuth.asDevice;
import static io.edgefleet.controlplane.testing.TestAuth.asOperator;
import static io.edgefleet.controlplane.testing.TestAuth.asViewer;
import static io.edgefleet.controlplane.testing.TestAuth.enrolmentBody;
import static io.edgefleet.controlplane.testing.TestAuth.sign;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.edgefleet.controlplane.testing.AuthKeysResource;
import io.edgefleet.controlplane.testing.LocalStackResource;
import io.edgefleet.controlplane.testing.TestAuth;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * Authentication and authorisation against the real control plane (PostgreSQL, Kafka, S3) with real keys: operator
 * role matrix, device enrolment flows, device isolation, token expiry and device-token key rotation.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthKeysResource.class, restrictToAnnotatedClass = true)
class DeviceAuthIT {
  private static final String PROBLEM = "application/problem+json";

  @Test
  void shouldRejectOperatorCallsWithoutAValidTokenWith401Problem() {
    given().get("/api/devices").then().statusCode(401).contentType(PROBLEM)
        .header("WWW-Authenticate", "Bearer").body("code", equalTo("auth.unauthenticated"));
    given().auth().oauth2("not-a-jwt").get("/api/rollouts").then().statusCode(401).contentType(PROBLEM)
        .body("code", equalTo("auth.unauthenticated"));
    String expired = TestAuth.operatorToken(TestAuth.ISSUER, Instant.now().minus(Duration.ofMinutes(5)), "admin");
    given().auth().oauth2(expired).get("/api/models").then().statusCode(401).contentType(PROBLEM);
    String otherIssuer = TestAuth.operatorToken("someone-else", Instant.now().plusSeconds(600), "admin");
    given().auth().oauth2(otherIssuer).get("/api/models").then().statusCode(401).contentType(PROBLEM);
    // a device token is no operator token
    given().auth().oauth2(TestAuth.deviceToken("role-dev-1")).get("/api/devices").then().statusCode(401);
  }

  @Test
  void shouldEnforceTheRoleMatrix() {
    asViewer().get("/api/devices").then().statusCode(200);
    asViewer().get("/api/rollouts").then().statusCode(200);
    asViewer().get("/api/telemetry/summary").then().statusCode(200);
    Map<String, Object> rollout = Map.of("name", "r", "modelId", "no-such-model", "maxAccuracyDrop", 0.05);
    asViewer().contentType(ContentType.JSON).body(rollout).post("/api/rollouts").then().statusCode(403)
        .contentType(PROBLEM).body("code", equalTo("auth.forbidden"));
    // the operator passes the role check (and then fails on the unknown model)
    asOperator().contentType(ContentType.JSON).body(rollout).post("/api/rollouts").then().statusCode(404)
        .body("code", equalTo("model.not-found"));
    asOperator().get("/api/devices/auth").then().statusCode(403).contentType(PROBLEM);
    KeyPair key = ArtifactSignatures.generateKeyPair();
    List<Map<String, String>> pre =
        List.of(Map.of("deviceId", "role-dev-2", "publicKey", ArtifactSignatures.toPem(key.getPublic())));
    asOperator().contentType(ContentType.JSON).body(pre).post("/api/devices/preauthorized").then().statusCode(403);
    asAdmin().contentType(ContentType.JSON).body(pre).post("/api/devices/preauthorized").then().statusCode(200)
        .body("[0].status", equalTo("PREAUTHORIZED"));
    asAdmin().get("/api/devices/auth").then().statusCode(200);
    asAdmin().contentType(ContentType.JSON).body(rollout).post("/api/rollouts").then().statusCode(404);
  }

  @Test
  void shouldKeepHealthOpenAndDocumentTheBearerScheme() {
    given().get("/q/health/live").then().statusCode(200);
    String openapi = given().get("/q/openapi").then().statusCode(200).extract().asString();
    assertThat(openapi).contains("bearer").contains("JWT");
  }

  @Test
  void shouldEnrolAPendingDeviceOnceAnAdminAcceptsIt() {
    KeyPair key = ArtifactSignatures.generateKeyPair();
    Response pending = enrol("pend-1", key, Instant.now());
    assertThat(pending.statusCode()).isEqualTo(401);
    assertThat(pending.contentType()).startsWith(PROBLEM);
    assertThat(pending.jsonPath().getString("code")).isEqualTo("device.auth-pending");
    enrol("pend-1", key, Instant.now()).then().statusCode(401);

    Response sets = asAdmin().queryParam("status", "PENDING").queryParam("deviceId", "pend-1")
        .get("/api/devices/auth");
    sets.then().statusCode(200).body("total", equalTo(1)).body("items[0].registration.deviceId", equalTo("pend-1"))
        .body("items[0].keyId", equalTo(ArtifactSignatures.keyId(key.getPublic())));
    String authId = sets.jsonPath().getString("items[0].id");
    asOperator().post("/api/devices/pend-1/auth/" + authId + "/accept").then().statusCode(403);
    asAdmin().post("/api/devices/pend-1/auth/" + authId + "/accept").then().statusCode(200)
        .body("status", equalTo("ACCEPTED"));

    String token = enrol("pend-1", key, Instant.now()).then().statusCode(200)
        .body("deviceId", equalTo("pend-1")).extract().path("token");
    given().auth().oauth2(token).contentType(ContentType.JSON).body(registration("pend-1"))
        .post("/api/devices").then().statusCode(201);
    given().auth().oauth2(token).get("/api/devices/pend-1/assignment").then().statusCode(200);
  }

  @Test
  void shouldGiveAPreauthorisedDeviceATokenAtOnce() {
    KeyPair key = ArtifactSignatures.generateKeyPair();
    asAdmin().contentType(ContentType.JSON)
        .body(List.of(Map.of("deviceId", "pre-1", "publicKey", ArtifactSignatures.toPem(key.getPublic()))))
        .post("/api/devices/preauthorized").then().statusCode(200);
    enrol("pre-1", key, Instant.now()).then().statusCode(200).body("expiresAt", org.hamcrest.Matchers.notNullValue());
    asAdmin().queryParam("deviceId", "pre-1").get("/api/devices/auth").then()
        .body("items.status", hasItem("ACCEPTED"));
    // another key claiming the same device id is only pending
    enrol("pre-1", ArtifactSignatures.generateKeyPair(), Instant.now()).then().statusCode(401)
        .body("code", equalTo("device.auth-pending"));
  }

  @Test
  void shouldRefuseARejectedDeviceAndRevokeItsTokens() {
    KeyPair key = ArtifactSignatures.generateKeyPair();
    asAdmin().contentType(ContentType.JSON)
        .body(List.of(Map.of("deviceId", "rej-1", "publicKey", ArtifactSignatures.toPem(key.getPublic()))))
        .post("/api/devices/preauthorized").then().statusCode(200);
    Response ok = enrol("rej-1", key, Instant.now());
    String token = ok.then().statusCode(200).extract().path("token");
    given().auth().oauth2(token).contentType(ContentType.JSON).body(registration("rej-1")).post("/api/devices")
        .then().statusCode(201);
    String authId = asAdmin().queryParam("deviceId", "rej-1").get("/api/devices/auth").jsonPath()
        .getString("items[0].id");
    asAdmin().post("/api/devices/rej-1/auth/" + authId + "/reject").then().statusCode(200)
        .body("status", equalTo("REJECTED"));
    enrol("rej-1", key, Instant.now()).then().statusCode(403).contentType(PROBLEM)
        .body("code", equalTo("device.auth-rejected"));
    given().auth().oauth2(token).get("/api/devices/rej-1/assignment").then().statusCode(401)
        .body("code", equalTo("device.token-invalid"));

    // decommission removes every auth set: the device comes back as pending
    asAdmin().delete("/api/devices/rej-1/auth").then().statusCode(204);
    enrol("rej-1", key, Instant.now()).then().statusCode(401).body("code", equalTo("device.auth-pending"));
  }

  @Test
  void shouldRejectBadSignaturesAndStaleTimestamps() {
    KeyPair key = ArtifactSignatures.generateKeyPair();
    asAdmin().contentType(ContentType.JSON)
        .body(List.of(Map.of("deviceId", "sig-1", "publicKey", ArtifactSignatures.toPem(key.getPublic()))))
        .post("/api/devices/preauthorized").then().statusCode(200);
    byte[] body = enrolmentBody("sig-1", key, Instant.now());
    // signed by another key
    given().contentType(ContentType.JSON)
        .header(DeviceEnrolmentResource.SIGNATURE_HEADER, sign(ArtifactSignatures.generateKeyPair(), body))
        .body(body).post("/api/devices/auth").then().statusCode(401).contentType(PROBLEM)
        .body("code", equalTo("device.auth-invalid"));
    // body altered after signing
    byte[] altered = new String(body, java.nio.charset.StandardCharsets.UTF_8).replace("sig-1\",\"publicKey",
        "sig-1\" ,\"publicKey").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    given().contentType(ContentType.JSON).header(DeviceEnrolmentResource.SIGNATURE_HEADER, sign(key, body))
        .body(altered).post("/api/devices/auth").then().statusCode(401).body("code", equalTo("device.auth-invalid"));
    // no signature
    given().contentType(ContentType.JSON).body(body).post("/api/devices/auth").then().statusCode(401);
    // replay window
    enrol("sig-1", key, Instant.now().minus(Duration.ofMinutes(6))).then().statusCode(401)
        .body("code", equalTo("device.auth-invalid"));
    enrol("sig-1", key, Instant.now().plus(Duration.ofMinutes(6))).then().statusCode(401);
    // a captured valid request cannot be replayed inside the window
    byte[] fresh = enrolmentBody("sig-1", key, Instant.now());
    String signature = sign(key, fresh);
    given().contentType(ContentType.JSON).header(DeviceEnrolmentResource.SIGNATURE_HEADER, signature).body(fresh)
        .post("/api/devices/auth").then().statusCode(200);
    given().contentType(ContentType.JSON).header(DeviceEnrolmentResource.SIGNATURE_HEADER, signature).body(fresh)
        .post("/api/devices/auth").then().statusCode(401).body("code", equalTo("device.auth-invalid"))
        .body("detail", org.hamcrest.Matchers.containsString("replay"));
  }

  @Test
  void shouldOnlyLetADeviceSeeItsOwnAssignmentAndRegistration() {
    String tokenA = TestAuth.deviceToken("iso-a");
    asDevice("iso-a").contentType(ContentType.JSON).body(registration("iso-a")).post("/api/devices").then()
        .statusCode(201);
    asDevice("iso-b").contentType(ContentType.JSON).body(registration("iso-b")).post("/api/devices").then()
        .statusCode(201);
    given().auth().oauth2(tokenA).get("/api/devices/iso-a/assignment").then().statusCode(200);
    given().auth().oauth2(tokenA).get("/api/devices/iso-b/assignment").then().statusCode(403).contentType(PROBLEM)
        .body("code", equalTo("device.forbidden"));
    given().auth().oauth2(tokenA).contentType(ContentType.JSON).body(registration("iso-b")).post("/api/devices")
        .then().statusCode(403);
    given().get("/api/devices/iso-a/assignment").then().statusCode(401).body("code", equalTo("device.token-invalid"));
    // an operator token is no device token, whatever its roles
    asAdmin().get("/api/devices/iso-a/assignment").then().statusCode(401);
  }

  @Test
  void shouldRefuseExpiredDeviceTokensAndAcceptThePreviousSigningKey() throws IOException {
    TestAuth.deviceToken("rot-1");
    String authId = asAdmin().queryParam("deviceId", "rot-1").get("/api/devices/auth").jsonPath()
        .getString("items[0].id");
    asDevice("rot-1").contentType(ContentType.JSON).body(registration("rot-1")).post("/api/devices").then()
        .statusCode(201);
    PrivateKey current = ArtifactSignatures.readPrivateKey(TestAuth.keyFile("device-token-private.pem"));
    PrivateKey previous = ArtifactSignatures.readPrivateKey(TestAuth.keyFile("device-token-previous-private.pem"));
    String previousKid = ArtifactSignatures.keyId(
        ArtifactSignatures.readPublicKey(TestAuth.keyFile("device-token-previous-public.pem")));
    String currentKid = ArtifactSignatures.keyId(
        ArtifactSignatures.readPublicKey(TestAuth.keyFile("device-token-public.pem")));
    Instant now = Instant.now();
    given().auth().oauth2(deviceJwt("rot-1", authId, previous, previousKid, now.plusSeconds(300)))
        .get("/api/devices/rot-1/assignment").then().statusCode(200);
    given().auth().oauth2(deviceJwt("rot-1", authId, current, currentKid, now.minusSeconds(60)))
        .get("/api/devices/rot-1/assignment").then().statusCode(401).body("detail", equalTo(
            "the device token has expired"));
    KeyPair unknown = ArtifactSignatures.generateKeyPair();
    given().auth().oauth2(deviceJwt("rot-1", authId, unknown.getPrivate(), currentKid, now.plusSeconds(300)))
        .get("/api/devices/rot-1/assignment").then().statusCode(401);
  }

  private static String deviceJwt(String deviceId, String authId, PrivateKey key, String kid, Instant expires) {
    JwtClaims c = new JwtClaims();
    c.setIssuer("edgefleet-control-plane");
    c.setAudience(DeviceTokenService.AUDIENCE);
    c.setSubject(deviceId);
    c.setIssuedAt(NumericDate.fromMilliseconds(expires.minusSeconds(900).toEpochMilli()));
    c.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
    c.setStringListClaim("groups", List.of("device"));
    c.setClaim(DeviceTokenService.AUTH_SET_CLAIM, authId);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(c.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
    jws.setKeyIdHeaderValue(kid);
    jws.setKey(key);
    try {
      return jws.getCompactSerialization();
    } catch (org.jose4j.lang.JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Response enrol(String deviceId, KeyPair key, Instant timestamp) {
    byte[] body = enrolmentBody(deviceId, key, timestamp);
    return given().contentType(ContentType.JSON).header(DeviceEnrolmentResource.SIGNATURE_HEADER, sign(key, body))
        .body(body).post("/api/devices/auth");
  }

  private static byte[] registration(String deviceId) {
    String body = new String(enrolmentBody(deviceId, ArtifactSignatures.generateKeyPair(), Instant.now()),
        java.nio.charset.StandardCharsets.UTF_8);
    try {
      return io.edgefleet.schemas.codec.EventCodec.mapper().writeValueAsBytes(
          io.edgefleet.schemas.codec.EventCodec.mapper().readTree(body).get("registration"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
