package io.edgefleet.controlplane.builds;

import io.edgefleet.controlplane.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/builds}. */
@Path("/api/builds")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class BuildResource {
  private final BuildService builds;

  public BuildResource(BuildService builds) {
    this.builds = builds;
  }

  @GET
  public List<BuildView> list() {
    return builds.list().stream().map(BuildService::view).toList();
  }

  @GET
  @Path("/{buildKey}")
  public BuildView get(@PathParam("buildKey") String buildKey) {
    return BuildService.view(builds.require(buildKey));
  }
}
