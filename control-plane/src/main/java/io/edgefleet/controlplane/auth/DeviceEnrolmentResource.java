package io.edgefleet.controlplane.auth;

import io.edgefleet.controlplane.devices.Page;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /api/devices/auth}: device enrolment (open: the device authenticates by signing the body with its key) and
 * the admin's list of auth sets.
 */
@Path("/api/devices/auth")
@Produces(MediaType.APPLICATION_JSON)
public class DeviceEnrolmentResource {
  /** Header carrying the base64 Ed25519 signature of the exact enrolment body bytes. */
  public static final String SIGNATURE_HEADER = "X-Edgefleet-Signature";

  private final DeviceAuthService auth;

  public DeviceEnrolmentResource(DeviceAuthService auth) {
    this.auth = auth;
  }

  /**
   * Enrols a device: 200 with a device token when its key is accepted or preauthorised; 401
   * {@code device.auth-pending} while an admin has not decided (the request is recorded); 403
   * {@code device.auth-rejected}; 401 {@code device.auth-invalid} for a bad signature or a timestamp outside the
   * replay window.
   */
  @POST
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  public EnrolmentResponse enrol(byte[] body, @HeaderParam(SIGNATURE_HEADER) String signature) {
    return auth.enrol(body, signature);
  }

  /** Auth sets, newest first, optionally filtered by status and device (admin). */
  @GET
  @RolesAllowed(Roles.ADMIN)
  public Page<AuthSetView> list(
      @QueryParam("status") AuthSetStatus status,
      @QueryParam("deviceId") String deviceId,
      @QueryParam("page") @DefaultValue("0") @Min(0) int page,
      @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
    return auth.list(status, deviceId, page, size);
  }
}
