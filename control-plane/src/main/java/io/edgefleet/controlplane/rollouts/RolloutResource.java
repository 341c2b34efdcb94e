package io.edgefleet.controlplane.rollouts;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** {@code /api/rollouts}. */
@Path("/api/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
  private final RolloutService rollouts;

  public RolloutResource(RolloutService rollouts) {
    this.rollouts = rollouts;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@NotNull @Valid CreateRolloutRequest request, UriInfo uri) {
    Rollout r = rollouts.create(request);
    return Response.created(uri.getAbsolutePathBuilder().path(r.id).build()).entity(rollouts.view(r)).build();
  }

  @GET
  public List<RolloutView> list() {
    return rollouts.list().stream().map(rollouts::view).toList();
  }

  @GET
  @Path("/{id}")
  public RolloutView get(@PathParam("id") String id) {
    return rollouts.view(rollouts.require(id));
  }
}
