package io.edgefleet.controlplane.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProblemMappersTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A body shape used by the tests below. */
  record Body(String deviceId, Map<String, String> attributes) {}

  @Test
  void shouldFindTheJsonSyntaxErrorTheBodyReaderWrapsInA400() {
    JsonProcessingException syntax = catchThrowableOfType(JsonProcessingException.class,
        () -> MAPPER.readValue("{\"deviceId\": ", Body.class));
    WebApplicationException wrapped = new WebApplicationException(syntax, Response.Status.BAD_REQUEST);

    assertThat(ProblemMappers.jsonCause(wrapped)).isSameAs(syntax);
    assertThat(ProblemMappers.jsonCause(new WebApplicationException(Response.Status.BAD_REQUEST))).isNull();
    assertThat(ProblemMappers.jsonCause(new WebApplicationException(new IllegalStateException("x"), 400))).isNull();
  }

  @Test
  void shouldDescribeMalformedJsonWithoutNamingOurClasses() {
    MismatchedInputException wrongShape = catchThrowableOfType(MismatchedInputException.class,
        () -> MAPPER.readValue("{\"deviceId\": \"d\", \"attributes\": [1]}", Body.class));

    Problem p = ProblemMappers.malformedJson(wrongShape, "/api/devices");

    assertThat(p.code()).isEqualTo("request.malformed-json");
    assertThat(p.status()).isEqualTo(400);
    assertThat(p.type()).isEqualTo("urn:edgefleet:problem:request.malformed-json");
    assertThat(p.instance()).isEqualTo("/api/devices");
    assertThat(p.detail()).isNotBlank().doesNotContain("io.edgefleet").doesNotContain("java.util")
        .doesNotContain("\n").doesNotContain("`").contains("START_ARRAY");
  }

  @Test
  void shouldSerialiseExtensionMembersNextToTheStandardOnes() throws Exception {
    ControlPlaneException e = new ControlPlaneException(ErrorCode.PLAN_INFEASIBLE, "hc-1: no plan")
        .with("hardwareClass", "hc-1").with("smallestAchievable", 0.041);
    Problem p = Problem.of(e.code(), e.getMessage(), "/api/rollouts").withExtensions(e.extensions());

    Map<String, Object> json = MAPPER.readValue(MAPPER.writeValueAsString(p),
        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});

    assertThat(json.get("code")).isEqualTo("plan.infeasible");
    assertThat(json.get("status")).isEqualTo(422);
    assertThat(json.get("hardwareClass")).isEqualTo("hc-1");
    assertThat(json.get("smallestAchievable")).isEqualTo(0.041);
    assertThat(json).doesNotContainKey("extensions").doesNotContainKey("members");
  }
}
