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
}
