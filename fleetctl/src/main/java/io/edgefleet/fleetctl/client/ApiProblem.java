package io.edgefleet.fleetctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9457 problem document returned by the control plane.
 *
 * @param type problem type URI
 * @param title short summary of the problem type
 * @param status HTTP status
 * @param detail explanation of this occurrence, may be null
 * @param code the control plane's stable error key, may be null
 * @param fieldErrors {@code field: message} for validation problems
 */
public record ApiProblem(String type, String title, int status, String detail, String code, List<String> fieldErrors) {

  public ApiProblem {
    fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
  }

  /** Reads a problem document; a body that is not one yields a problem with the status and the raw text. */
  public static ApiProblem from(int status, JsonNode body, String rawBody) {
    if (body == null || !body.isObject() || !body.has("title")) {
      String text = rawBody == null || rawBody.isBlank() ? null : abbreviate(rawBody.strip(), 300);
      return new ApiProblem(null, "HTTP " + status, status, text, null, List.of());
    }
    List<String> errors = new ArrayList<>();
    for (JsonNode e : body.path("errors")) {
      errors.add(e.path("field").asText("?") + ": " + e.path("message").asText(""));
    }
    return new ApiProblem(
        text(body, "type"), text(body, "title"), body.path("status").asInt(status), text(body, "detail"),
        text(body, "code"), errors);
  }

  /** One human-readable line (plus one line per field error). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(title == null ? "HTTP " + status : title).append(" (HTTP ").append(status);
    if (code != null) {
      sb.append(", ").append(code);
    }
    sb.append(')');
    if (detail != null && !detail.isBlank()) {
      sb.append(": ").append(detail);
    }
    for (String e : fieldErrors) {
      sb.append(System.lineSeparator()).append("  - ").append(e);
    }
    return sb.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
