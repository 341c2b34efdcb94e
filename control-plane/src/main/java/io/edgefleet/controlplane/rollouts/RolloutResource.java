package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * {@code /api/rollouts}: create, list, inspect, and the operator verbs (each takes an optional {@code reason} query
 * parameter recorded in the history; a verb not allowed in the rollout's state is a 409).
 */
@Path("/api/rollouts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RolloutResource {
  private final RolloutService rollouts;

  public RolloutResource(RolloutService rollouts) {
    this.rollouts = rollouts;
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
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

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/start")
  public RolloutView start(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.start(id, reason);
    return get(id);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/pause")
  public RolloutView pause(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.pause(id, reason);
    return get(id);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/resume")
  public RolloutView resume(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.resume(id, reason);
    return get(id);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/stop")
  public RolloutView stop(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.stop(id, reason);
    return get(id);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/next-group")
  public RolloutView nextGroup(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.nextGroup(id, reason);
    return get(id);
  }

  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Path("/{id}/retry-failed")
  public RolloutView retryFailed(@PathParam("id") String id, @QueryParam("reason") String reason) {
    rollouts.retryFailed(id, reason);
    return get(id);
  }
}
