package io.edgefleet.fleetctl.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ApiProblemTest {

  @Test
  void shouldDescribeAProblemDocumentWithFieldErrors() throws Exception {
    String raw = """
        {"type":"urn:edgefleet:problem:validation-failed","title":"Invalid request","status":400,
         "detail":"2 constraint violations","code":"validation-failed",
         "errors":[{"field":"name","message":"must not be blank"},{"field":"maxAccuracyDrop","message":"must be <= 1.0"}]}
        """;
    JsonNode body = FleetClient.mapper().readTree(raw);

    ApiProblem p = ApiProblem.from(400, body, raw);

    assertThat(p.status()).isEqualTo(400);
    assertThat(p.code()).isEqualTo("validation-failed");
    assertThat(p.describe().lines().toList()).containsExactly(
        "Invalid request (HTTP 400, validation-failed): 2 constraint violations",
        "  - name: must not be blank",
        "  - maxAccuracyDrop: must be <= 1.0");
  }

  @Test
  void shouldKeepTheStatusAndTextOfABodyThatIsNotAProblem() {
    ApiProblem p = ApiProblem.from(502, null, "<html>Bad gateway</html>");

    assertThat(p.describe()).isEqualTo("HTTP 502 (HTTP 502): <html>Bad gateway</html>");
  }

  @Test
  void shouldEncodeQueryStringsAndSkipNulls() {
    java.util.Map<String, Object> q = new java.util.LinkedHashMap<>();
    q.put("q", "tag==lab;ramMb=ge=2048");
    q.put("tag", null);
    q.put("page", 2);

    assertThat(FleetClient.queryString(q)).isEqualTo("?q=tag%3D%3Dlab%3BramMb%3Dge%3D2048&page=2");
    assertThat(FleetClient.queryString(java.util.Map.of())).isEmpty();
  }
}
