package io.edgefleet.controlplane.models;

import static io.edgefleet.controlplane.testing.TestAuth.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.edgefleet.controlplane.storage.ObjectStorage;
import io.edgefleet.controlplane.testing.AuthKeysResource;
import io.edgefleet.controlplane.testing.LocalStackResource;
import io.edgefleet.controlplane.testing.TinyModels;
import io.edgefleet.schemas.events.BuildKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Request limits and hostile names against the real control plane and S3 server, with small limits so that the
 * oversized inputs stay small: upload size limits (per part and per request body), path-traversal names and ids, and
 * the lifetime of presigned download URLs.
 */
@QuarkusTest
@TestProfile(UploadLimitsIT.SmallLimits.class)
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuthKeysResource.class, restrictToAnnotatedClass = true)
class UploadLimitsIT {
  static final int MAX_MODEL_BYTES = 512;
  static final int MAX_SAMPLES_BYTES = 4096;
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final Duration PRESIGN_EXPIRY = Duration.ofSeconds(3);

  /** Limits small enough that the tiny test model and sample sets exceed them. */
  public static class SmallLimits implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "edgefleet.models.max-model-bytes", Integer.toString(MAX_MODEL_BYTES),
          "edgefleet.models.max-samples-bytes", Integer.toString(MAX_SAMPLES_BYTES),
          "quarkus.http.limits.max-body-size", (MAX_BODY_BYTES / 1024) + "K",
          "edgefleet.s3.presign-expiry", PRESIGN_EXPIRY.toString());
    }
  }

  @Inject ObjectStorage storage;

  private static final byte[] SMALL_SAMPLES = TinyModels.samples(4, false, 1);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Response upload(String name, byte[] model, byte[] calibration, byte[] eval) {
    return asAdmin().multiPart("name", name).multiPart("model", "m.tflite", model)
        .multiPart("calibration", "c.efs", calibration).multiPart("eval", "e.efs", eval).post("/api/models");
  }

  @Test
  void shouldRefuseAModelOverTheLimitWith413AndStoreNothing() throws Exception {
    byte[] model = TinyModels.classifier(11);
    assertThat(model.length).as("the test model exceeds the model limit").isGreaterThan(MAX_MODEL_BYTES)
        .isLessThan(MAX_BODY_BYTES / 2);
    assertThat(SMALL_SAMPLES.length).isLessThan(MAX_SAMPLES_BYTES);
    int before = asAdmin().get("/api/models").jsonPath().getList("$").size();

    upload("too-big", model, SMALL_SAMPLES, SMALL_SAMPLES).then().statusCode(413)
        .contentType("application/problem+json").body("code", equalTo("model.upload-too-large"))
        .body("detail", equalTo("'model' has " + model.length + " bytes, the limit is " + MAX_MODEL_BYTES));

    assertThat(asAdmin().get("/api/models").jsonPath().getList("$")).hasSize(before);
    assertThat(storage.exists("models/" + BuildKeys.sha256Hex(model) + ".tflite")).isFalse();
  }

  @Test
  void shouldRefuseASampleSetOverTheLimitWith413() {
    byte[] samples = TinyModels.samples(64, true, 2);
    assertThat(samples.length).isGreaterThan(MAX_SAMPLES_BYTES).isLessThan(MAX_BODY_BYTES / 2);

    upload("samples-too-big", new byte[16], SMALL_SAMPLES, samples).then().statusCode(413)
        .contentType("application/problem+json").body("code", equalTo("model.upload-too-large"))
        .body("detail", equalTo("'eval' has " + samples.length + " bytes, the limit is " + MAX_SAMPLES_BYTES));
  }

  @Test
  void shouldRefuseARequestBodyOverTheHttpLimitBeforeReadingIt() {
    byte[] huge = new byte[MAX_BODY_BYTES * 2];

    Response r = upload("body-too-big", huge, SMALL_SAMPLES, SMALL_SAMPLES);

    // the HTTP layer answers (with an empty body) before the request reaches the API's problem+json mappers
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(storage.exists("models/" + BuildKeys.sha256Hex(huge) + ".tflite")).isFalse();
  }

  @Test
  void shouldTreatPathTraversalInNamesAndIdsAsPlainInvalidInput() {
    for (String name : new String[] {"../../etc/passwd", "..", "a/b", "..\\..\\windows", "%2e%2e%2f"}) {
      upload(name, TinyModels.classifier(12), SMALL_SAMPLES, SMALL_SAMPLES).then().statusCode(400)
          .contentType("application/problem+json").body("code", equalTo("model.upload-missing-part"));
    }
    for (String path : new String[] {"/api/devices/..%2F..%2Fetc%2Fpasswd", "/api/models/..%2F..%2Fetc%2Fpasswd",
        "/api/rollouts/%2e%2e%2f%2e%2e%2fetc%2fpasswd"}) {
      Response r = asAdmin().urlEncodingEnabled(false).get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.asString()).as(path).doesNotContain("root:");
    }
  }

  @Test
  void shouldServeAPresignedUrlUntilItExpiresAndRefuseItAfterwards() throws Exception {
    byte[] content = ("presign probe " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    String key = "builds/" + BuildKeys.sha256Hex(content) + ".tflite";
    storage.putIfAbsent(key, content, "application/octet-stream");
    URI url = URI.create(storage.presignedGet(key));
    assertThat(storage.presignExpiry()).isEqualTo(PRESIGN_EXPIRY);

    HttpResponse<byte[]> first = get(url);
    HttpResponse<byte[]> replay = get(url);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(content);
    // within its lifetime a presigned URL is a bearer URL: a replay gets the same content-addressed, signed bytes
    assertThat(replay.statusCode()).isEqualTo(200);
    // the signature covers the object key: the same URL pointed at another object is refused
    String otherKey = url.toString().replace(BuildKeys.sha256Hex(content), BuildKeys.sha256Hex(new byte[1]));
    assertThat(get(URI.create(otherKey)).statusCode()).isEqualTo(403);

    await("the presigned URL expires").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> get(url).statusCode() == 403);
    HttpResponse<byte[]> expired = get(url);
    assertThat(new String(expired.body(), StandardCharsets.UTF_8)).doesNotContain("presign probe");

  }

  private static HttpResponse<byte[]> get(URI url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
