package io.edgefleet.controlplane.errors;

/**
 * Stable error codes of the control plane. The {@link #key()} is part of the public API (the {@code code} member of
 * every problem+json response); {@link #status()} is the HTTP status it maps to.
 */
public enum ErrorCode {
  INVALID_REQUEST("request.invalid", 400, "Invalid request"),
  MALFORMED_JSON("request.malformed-json", 400, "Malformed JSON body"),
  VALIDATION_FAILED("request.validation-failed", 400, "Request validation failed"),
  NOT_FOUND("resource.not-found", 404, "Resource not found"),
  METHOD_NOT_ALLOWED("request.method-not-allowed", 405, "Method not allowed"),
  UNSUPPORTED_MEDIA_TYPE("request.unsupported-media-type", 415, "Unsupported media type"),
  DEVICE_NOT_FOUND("device.not-found", 404, "Device not found"),
  MODEL_NOT_FOUND("model.not-found", 404, "Model not found"),
  BUILD_NOT_FOUND("build.not-found", 404, "Build not found"),
  ROLLOUT_NOT_FOUND("rollout.not-found", 404, "Rollout not found"),
  UPLOAD_MISSING_PART("model.upload-missing-part", 400, "Missing multipart field"),
  UPLOAD_TOO_LARGE("model.upload-too-large", 413, "Upload too large"),
  MODEL_CORRUPT("model.corrupt", 400, "Corrupt model"),
  MODEL_UNSUPPORTED("model.unsupported", 422, "Unsupported model"),
  SAMPLES_INVALID("model.samples-invalid", 400, "Invalid sample set"),
  SAMPLES_MISMATCH("model.samples-mismatch", 422, "Sample set does not match the model"),
  INVALID_DEVICE_QUERY("device.query-invalid", 400, "Invalid device query"),
  INVALID_ROLLOUT_GROUPS("rollout.groups-invalid", 400, "Invalid rollout groups"),
  ROLLOUT_INVALID_TRANSITION("rollout.invalid-transition", 409, "Rollout cannot do that in its current state"),
  NO_MATCHING_DEVICES("rollout.no-matching-devices", 422, "No device matches the filter"),
  MODEL_ANALYSIS_PENDING("model.analysis-pending", 409, "Model analysis pending"),
  MODEL_ANALYSIS_FAILED("model.analysis-failed", 409, "Model analysis failed"),
  MODEL_ANALYSIS_READY("model.analysis-ready", 409, "Model analysis already complete"),
  ANALYSIS_INVALID("analysis.invalid", 422, "Invalid model analysis"),
  ANALYSIS_LATENCY_NOT_MEASURED("analysis.latency-not-measured", 422, "The analysis has no latency measurements"),
  HARDWARE_CLASS_NOT_FOUND("hardware-class.not-found", 404, "Hardware class not found"),
  HARDWARE_UNSUPPORTED("hardware-class.unsupported", 422, "Hardware class cannot be planned for"),
  PLAN_INFEASIBLE("plan.infeasible", 422, "No plan meets the constraints"),
  PLANNING_FAILED("plan.failed", 503, "Planner failed"),
  STORAGE_UNAVAILABLE("storage.unavailable", 503, "Object storage unavailable"),
  MESSAGING_UNAVAILABLE("messaging.unavailable", 503, "Event broker unavailable"),
  EVENT_REJECTED("event.rejected", 422, "Event rejected"),
  RATE_LIMITED("request.rate-limited", 429, "Too many requests"),
  AUTH_UNAUTHENTICATED("auth.unauthenticated", 401, "Authentication required"),
  AUTH_FORBIDDEN("auth.forbidden", 403, "Forbidden"),
  DEVICE_AUTH_INVALID("device.auth-invalid", 401, "Device authentication request invalid"),
  DEVICE_AUTH_PENDING("device.auth-pending", 401, "Device authentication pending"),
  DEVICE_AUTH_REJECTED("device.auth-rejected", 403, "Device authentication rejected"),
  DEVICE_TOKEN_INVALID("device.token-invalid", 401, "Device token missing or invalid"),
  DEVICE_FORBIDDEN("device.forbidden", 403, "Device may not access this resource"),
  AUTH_SET_NOT_FOUND("device.auth-set-not-found", 404, "Device auth set not found"),
  INTERNAL("internal", 500, "Internal error");

  private final String key;
  private final int status;
  private final String title;

  ErrorCode(String key, int status, String title) {
    this.key = key;
    this.status = status;
    this.title = title;
  }

  public String key() {
    return key;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
