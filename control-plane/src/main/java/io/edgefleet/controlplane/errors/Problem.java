package io.edgefleet.controlplane.errors;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details, extended with the stable {@code code} and, for validation failures, the offending
 * fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, String code, List<FieldError> errors,
    @JsonIgnore Map<String, Object> extensions) {

  public Problem {
    extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  public Problem(
      String type, String title, int status, String detail, String instance, String code, List<FieldError> errors) {
    this(type, title, status, detail, instance, code, errors, Map.of());
  }

  /** RFC 9457 extension members, serialised next to the standard ones. */
  @JsonAnyGetter
  public Map<String, Object> members() {
    return extensions;
  }

  public Problem withExtensions(Map<String, Object> members) {
    Map<String, Object> all = new LinkedHashMap<>(extensions);
    all.putAll(members);
    return new Problem(type, title, status, detail, instance, code, errors, all);
  }

  public static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_PREFIX = "urn:edgefleet:problem:";

  public static Problem of(ErrorCode code, String detail, String instance) {
    return new Problem(TYPE_PREFIX + code.key(), code.title(), code.status(), detail, instance, code.key(), null);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, code, List.copyOf(fieldErrors), extensions);
  }

  /** One invalid input. */
  public record FieldError(String field, String message) {}
}
