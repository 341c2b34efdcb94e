package io.edgefleet.controlplane.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * RFC 9457 problem details, extended with the stable {@code code} and, for validation failures, the offending
 * fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String instance, String code, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_PREFIX = "urn:edgefleet:problem:";

  public static Problem of(ErrorCode code, String detail, String instance) {
    return new Problem(TYPE_PREFIX + code.key(), code.title(), code.status(), detail, instance, code.key(), null);
  }

  public Problem withErrors(List<FieldError> fieldErrors) {
    return new Problem(type, title, status, detail, instance, code, List.copyOf(fieldErrors));
  }

  /** One invalid input. */
  public record FieldError(String field, String message) {}
}
