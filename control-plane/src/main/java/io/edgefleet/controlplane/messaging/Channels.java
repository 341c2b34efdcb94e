package io.edgefleet.controlplane.messaging;

/**
 * Reactive-messaging channel names; their topics are configured in {@code application.properties} and must equal the
 * {@link io.edgefleet.schemas.Topics} constants (checked by a unit test).
 */
public final class Channels {
  public static final String BUILD_REQUESTS_OUT = "build-requests";
  public static final String DESIRED_STATE_OUT = "desired-state";
  public static final String BUILD_RESULTS_IN = "build-results";
  public static final String DEVICE_FEEDBACK_IN = "device-feedback";
  public static final String TELEMETRY_IN = "telemetry";
  public static final String ANALYSIS_REQUESTS_OUT = "analysis-requests";
  public static final String ANALYSIS_RESULTS_IN = "analysis-results";

  private Channels() {}
}
