package io.edgefleet.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.worker.WorkerErrorCode;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class StorageTest {
  private static final String HEX = "ab".repeat(32);

  @Test
  void shouldClassifyNetworkAndServerErrorsAsTransientAndRefusalsAsRejected() {
    assertThat(ObjectStore.classify("get x", new ConnectException("refused")).code())
        .isEqualTo(WorkerErrorCode.STORAGE_UNAVAILABLE);
    assertThat(ObjectStore.classify("get x", s3Error(503, "SlowDown")).code())
        .isEqualTo(WorkerErrorCode.STORAGE_UNAVAILABLE);
    assertThat(ObjectStore.classify("get x", s3Error(500, "InternalError")).code())
        .isEqualTo(WorkerErrorCode.STORAGE_UNAVAILABLE);
    assertThat(ObjectStore.classify("get x", s3Error(403, "AccessDenied")).code())
        .isEqualTo(WorkerErrorCode.STORAGE_REJECTED);
    assertThat(ObjectStore.classify("get x", s3Error(403, "AccessDenied")).isTransient()).isFalse();
  }

  @Test
  void shouldNameContentAddressedKeys() {
    assertThat(StorageLayout.artifactKey(HEX)).isEqualTo("builds/" + HEX + ".tflite");
    assertThat(StorageLayout.referenceKey(HEX)).isEqualTo("references/" + HEX + ".efs");
    assertThat(StorageLayout.manifestKey(HEX)).isEqualTo("build-manifests/" + HEX + ".json");
    assertThatThrownBy(() -> StorageLayout.manifestKey("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRoundTripAManifestAndRejectOneViolatingTheSchema() throws IOException {
    ManifestStore manifests = new ManifestStore(unusedStore(), new EventCodec());
    BuildCompleted completed =
        new BuildCompleted(HEX, HEX, "plan", StorageLayout.artifactKey(HEX), HEX, 1234, "c2ln", "0011223344556677",
            null, new BuildMetrics(10, 0.9, 0.88, 0.97, 5000, 12.5, 20.0), "w", 42, Instant.parse("2026-01-01T00:00:00Z"));
    byte[] json = EventCodec.mapper().writeValueAsBytes(completed);

    assertThat(manifests.parse(json)).isEqualTo(completed);

    ObjectNode broken = (ObjectNode) EventCodec.mapper().readTree(json);
    broken.remove("signature");
    assertThatThrownBy(() -> manifests.parse(EventCodec.mapper().writeValueAsBytes(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void shouldRoundTripAStoredAnalysisAndRejectOneViolatingTheSchema() throws IOException {
    AnalysisStore analyses = new AnalysisStore(unusedStore(), new EventCodec());
    LayerAnalysis layer =
        new LayerAnalysis("0:FULLY_CONNECTED", "FULLY_CONNECTED", 100, 100, null,
            Map.of("float32", new LayerAnalysis.PrecisionOption(400, 1.5, 1.0, 0, 0, 0),
                "int8", new LayerAnalysis.PrecisionOption(124, 1.0, 0.99, 1e-4, 2e-4, 0.01)));
    AnalysisCompleted completed =
        new AnalysisCompleted("m", HEX, "w", 2000, 1600, 250, "host", List.of(layer), 1234,
            Instant.parse("2026-01-01T00:00:00Z"));
    byte[] json = AnalysisStore.toJson(completed);

    assertThat(analyses.parse(json)).isEqualTo(completed);
    assertThat(StorageLayout.analysisKey(HEX)).isEqualTo("analyses/" + HEX + ".json");

    ObjectNode broken = (ObjectNode) EventCodec.mapper().readTree(json);
    ((ObjectNode) broken.get("layers").get(0).get("options")).putObject("int3");
    assertThatThrownBy(() -> analyses.parse(EventCodec.mapper().writeValueAsBytes(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fleet.analysis.completed.v1");
  }

  private static ObjectStore unusedStore() {
    return new ObjectStore(MinioClient.builder().endpoint("http://127.0.0.1:1").credentials("a", "b").build(), "bucket");
  }

  private static ErrorResponseException s3Error(int status, String code) {
    Response response =
        new Response.Builder()
            .request(new Request.Builder().url("http://127.0.0.1:1/bucket/x").build())
            .protocol(Protocol.HTTP_1_1)
            .code(status)
            .message(code)
            .build();
    return new ErrorResponseException(
        new ErrorResponse(code, "message", "bucket", "x", "/bucket/x", "req", "host"), response, "trace");
  }
}
