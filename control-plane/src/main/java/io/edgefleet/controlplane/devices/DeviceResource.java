package io.edgefleet.controlplane.devices;

import io.edgefleet.controlplane.auth.DeviceAuthService;
import io.edgefleet.controlplane.auth.Roles;
import io.edgefleet.controlplane.rollouts.RolloutDevice;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/devices}: registration, listing, and the assignment poll of agents. */
@Path("/api/devices")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DeviceResource {
  private final DeviceService devices;
  private final AssignmentService assignments;
  private final DeviceAuthService auth;

  private final java.time.Duration overdueAfter;

  public DeviceResource(DeviceService devices, AssignmentService assignments, DeviceAuthService auth,
      io.edgefleet.controlplane.config.EdgefleetConfig config) {
    this.overdueAfter = config.devices().overdueAfter();
    this.devices = devices;
    this.assignments = assignments;
    this.auth = auth;
  }

  /**
   * Registers a device (201) or updates a known one (200). Device endpoint: needs the device's own token (from
   * {@code POST /api/devices/auth}) for the registration's device id.
   */
  @POST
  @PermitAll
  @Consumes(MediaType.APPLICATION_JSON)
  public Response register(@NotNull DeviceRegistration registration, UriInfo uri,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    auth.authorize(authorization, registration.deviceId());
    DeviceService.Registration r = devices.register(registration);
    DeviceRegistered body = r.response();
    if (r.created()) {
      return Response.created(uri.getAbsolutePathBuilder().path(body.deviceId()).build()).entity(body).build();
    }
    return Response.ok(body).build();
  }

  /**
   * Devices, ordered by id and paged, filtered by hardware class, attributes ({@code attribute=key:value},
   * repeatable), {@code tag} and an RSQL/FIQL query {@code q} (e.g. {@code arch==x86_64;ramMb=ge=2048,tag==lab});
   * all given conditions must match. A bad query is a 400 naming the offending token.
   */
  @GET
  public Page<DeviceView> list(
      @QueryParam("hardwareClass") String hardwareClass,
      @QueryParam("attribute") List<String> attributes,
      @QueryParam("tag") String tag,
      @QueryParam("q") String query,
      @QueryParam("page") @DefaultValue("0") @Min(0) int page,
      @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
    Map<String, String> attrs = new LinkedHashMap<>();
    for (String a : attributes == null ? List.<String>of() : attributes) {
      int colon = a.indexOf(':');
      if (colon <= 0) {
        throw new io.edgefleet.controlplane.errors.ControlPlaneException(
            io.edgefleet.controlplane.errors.ErrorCode.INVALID_REQUEST,
            "attribute filter must look like key:value, got '" + a + "'");
      }
      attrs.put(a.substring(0, colon), a.substring(colon + 1));
    }
    Page<Device> p = devices.page(new DeviceFilter(hardwareClass, attrs, tag, query), page, size);
    return new Page<>(p.items().stream().map(this::view).toList(), p.page(), p.size(), p.total());
  }

  @GET
  @Path("/{id}")
  public DeviceView get(@PathParam("id") String id) {
    return view(devices.require(id));
  }

  /**
   * The device's assignment with presigned URLs; {@code ETag} is the desired-state revision, {@code If-None-Match}
   * with the current revision gives 304. Every poll is a heartbeat ({@link DeviceService#touch}: last-seen at a
   * 15 s resolution). Device endpoint: only the device's own token is accepted (another device's → 403), so
   * presigned artifact URLs are only ever handed to the device the build is assigned to.
   */
  @GET
  @PermitAll
  @Path("/{id}/assignment")
  public Response assignment(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    auth.authorize(authorization, id);
    devices.touch(id);
    long revision = devices.desiredState(id).map(r -> r.revision).orElse(0L);
    EntityTag tag = new EntityTag(Long.toString(revision));
    if (ifNoneMatch != null && matches(ifNoneMatch, tag.getValue())) {
      return Response.notModified(tag).build();
    }
    DeviceAssignment a = assignments.assignment(id);
    return Response.ok(a).tag(new EntityTag(Long.toString(a.revision()))).build();
  }

  static boolean matches(String ifNoneMatch, String value) {
    for (String part : ifNoneMatch.split(",")) {
      String t = part.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals("\"" + value + "\"") || t.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private DeviceView view(Device d) {
    DesiredStateRow ds = DesiredStateRow.findById(d.id);
    RolloutDevice latest = RolloutDevice.find("deviceId = ?1 order by updatedAt desc", d.id).firstResult();
    return new DeviceView(d.id, d.name, d.hardwareClass, DeviceService.hardware(d), d.agentVersion,
        Map.copyOf(d.attributes), d.registeredAt, d.lastSeenAt, ds == null ? null : ds.revision,
        ds == null ? null : ds.buildKey, ds == null ? null : ds.rolloutId,
        latest == null ? null : latest.status.name(), connectivity(d.lastSeenAt, java.time.Instant.now(), overdueAfter));
  }

  /** Last-seen → connectivity: polls are heartbeats, recorded at {@link DeviceService#LAST_SEEN_RESOLUTION}. */
  static String connectivity(java.time.Instant lastSeen, java.time.Instant now, java.time.Duration overdueAfter) {
    if (lastSeen == null) {
      return "NEVER_SEEN";
    }
    return lastSeen.plus(overdueAfter).isBefore(now) ? "OVERDUE" : "ONLINE";
  }
}
