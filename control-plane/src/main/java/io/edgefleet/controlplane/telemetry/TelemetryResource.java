package io.edgefleet.controlplane.telemetry;

import io.edgefleet.controlplane.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/telemetry}: fleet-measured latency percentiles and accuracy per build. */
@Path("/api/telemetry")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TelemetryResource {
  private final TelemetryService telemetry;

  public TelemetryResource(TelemetryService telemetry) {
    this.telemetry = telemetry;
  }

  @GET
  @Path("/builds/{buildKey}")
  public TelemetryAggregate build(@PathParam("buildKey") String buildKey) {
    return telemetry.forBuild(buildKey);
  }

  /** Per-operator device times of a build per hardware class (from the devices' periodic profiles). */
  @GET
  @Path("/builds/{buildKey}/ops")
  public OpProfileView ops(@PathParam("buildKey") String buildKey) {
    return telemetry.opProfile(buildKey);
  }

  @GET
  @Path("/summary")
  public List<BuildSummary> summary() {
    return telemetry.summary();
  }
}
