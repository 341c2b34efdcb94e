package io.edgefleet.controlplane.auth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code POST /api/devices/preauthorized}: bulk preauthorisation of (device id, public key) pairs (admin). */
@Path("/api/devices/preauthorized")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class PreauthorizationResource {
  private final DeviceAuthService auth;

  public PreauthorizationResource(DeviceAuthService auth) {
    this.auth = auth;
  }

  /** Preauthorises the keys (factory provisioning): the devices get a token at their first enrolment. */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public List<AuthSetView> preauthorize(@NotEmpty @Size(max = 10000) List<@Valid Preauthorization> entries) {
    return auth.preauthorize(entries);
  }
}
