package io.edgefleet.controlplane.auth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/devices/{id}/auth}: admin decisions on one device's auth sets, and decommissioning. */
@Path("/api/devices/{id}/auth")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class DeviceAuthDecisionResource {
  private final DeviceAuthService auth;

  public DeviceAuthDecisionResource(DeviceAuthService auth) {
    this.auth = auth;
  }

  /** Accepts the auth set: the device gets a token at its next enrolment; its other keys are rejected. */
  @POST
  @Path("/{authId}/accept")
  public AuthSetView accept(@PathParam("id") String deviceId, @PathParam("authId") String authId) {
    return auth.accept(deviceId, authId);
  }

  /** Rejects the auth set; tokens already issued for it stop working at once. */
  @POST
  @Path("/{authId}/reject")
  public AuthSetView reject(@PathParam("id") String deviceId, @PathParam("authId") String authId) {
    return auth.reject(deviceId, authId);
  }

  /** Decommissions the device: every auth set is removed and its tokens stop working (204). */
  @DELETE
  public Response decommission(@PathParam("id") String deviceId) {
    auth.decommission(deviceId);
    return Response.noContent().build();
  }
}
