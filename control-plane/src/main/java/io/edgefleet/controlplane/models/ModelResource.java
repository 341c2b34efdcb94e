package io.edgefleet.controlplane.models;

import io.edgefleet.controlplane.analysis.AnalysisService;
import io.edgefleet.controlplane.analysis.AnalysisView;
import io.edgefleet.controlplane.analysis.ModelPlanningService;
import io.edgefleet.controlplane.analysis.PlanView;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.errors.Problem;
import io.edgefleet.controlplane.profiles.ParetoView;
import io.edgefleet.controlplane.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
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
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code /api/models}: upload (multipart) and list float models; each model's measured analysis, Pareto frontiers and
 * would-be plans per hardware class.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Float models, their measured per-layer analysis, Pareto frontiers and plans")
@RolesAllowed(Roles.VIEWER)
public class ModelResource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ModelService models;
  private final EdgefleetConfig config;
  private final AnalysisService analyses;
  private final ModelPlanningService planning;

  public ModelResource(ModelService models, EdgefleetConfig config, AnalysisService analyses,
      ModelPlanningService planning) {
    this.models = models;
    this.config = config;
    this.analyses = analyses;
    this.planning = planning;
  }

  /**
   * Uploads a float {@code .tflite} with its calibration and labelled evaluation sets ({@code .efs}). 201 with the
   * model, 200 if the identical upload exists, 400/413/422 problem+json otherwise (nothing is stored).
   */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  public Response upload(
      @RestForm("name") String name,
      @RestForm("model") FileUpload model,
      @RestForm("calibration") FileUpload calibration,
      @RestForm("eval") FileUpload eval,
      UriInfo uri) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ControlPlaneException(ErrorCode.UPLOAD_MISSING_PART,
          "field 'name' is required: 1-128 characters of letters, digits, '.', '_' or '-'");
    }
    long maxModel = config.models().maxModelBytes();
    long maxSamples = config.models().maxSamplesBytes();
    byte[] modelBytes = read("model", model, maxModel);
    byte[] calBytes = read("calibration", calibration, maxSamples);
    byte[] evalBytes = read("eval", eval, maxSamples);
    ModelService.Registered r = models.register(name, modelBytes, calBytes, evalBytes);
    ModelView view = ModelService.view(r.model());
    if (r.created()) {
      return Response.created(uri.getAbsolutePathBuilder().path(view.id()).build()).entity(view).build();
    }
    return Response.ok(view).build();
  }

  @GET
  public List<ModelView> list() {
    return models.list().stream().map(ModelService::view).toList();
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One model version, with its analysisStatus (PENDING, READY or FAILED)")
  public ModelView get(@PathParam("id") String id) {
    return ModelService.view(models.require(id));
  }

  @GET
  @Path("/{id}/analysis")
  @Operation(summary = "The model's measured per-layer table (size, worker-host latency, agreement, MSE, KL per"
      + " precision)")
  @APIResponse(responseCode = "200", description = "analysis READY")
  @APIResponse(responseCode = "404", description = "unknown model (model.not-found)",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "409", description = "analysis PENDING (model.analysis-pending) or FAILED"
      + " (model.analysis-failed); the problem carries analysisStatus",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public AnalysisView analysis(@PathParam("id") String id) {
    return planning.analysis(id);
  }

  @POST
  @Path("/{id}/analysis")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(summary = "Asks the worker group to analyse the model again (after a failure or a lost request)")
  @APIResponse(responseCode = "202", description = "request published; the model is PENDING again")
  @APIResponse(responseCode = "404", description = "unknown model (model.not-found)",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "409", description = "the analysis is already READY (model.analysis-ready)",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Response reRequest(@PathParam("id") String id) {
    ModelView view = ModelService.view(analyses.reRequest(id));
    return Response.accepted(view).build();
  }

  @GET
  @Path("/{id}/pareto")
  @Operation(summary = "Predicted loss versus model size or worker-host latency for a hardware class (planner sweep)")
  @APIResponse(responseCode = "200", description = "non-dominated plans, cost increasing and loss decreasing")
  @APIResponse(responseCode = "404", description = "unknown model or hardware class",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "409", description = "analysis not READY",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public ParetoView pareto(@PathParam("id") String id,
      @Parameter(description = "hardware class id (hc-…) of registered devices", required = true)
      @QueryParam("hardwareClass") String hardwareClass,
      @Parameter(description = "size (default) or latency") @QueryParam("axis") String axis,
      @Parameter(description = "budgets swept, 2..51 (default edgefleet.planning.pareto-steps)")
      @QueryParam("steps") Integer steps) {
    return planning.pareto(id, hardwareClass, axis, steps);
  }

  @GET
  @Path("/{id}/plans")
  @Operation(summary = "The plan the platform would choose for a hardware class under these SLOs, with its"
      + " explanation")
  @APIResponse(responseCode = "200", description = "the plan, its build key and explanation")
  @APIResponse(responseCode = "404", description = "unknown model or hardware class",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "409", description = "analysis not READY",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "422", description = "no plan meets the constraints (plan.infeasible): names the"
      + " class, the constraint and the smallest achievable value",
      content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public PlanView plan(@PathParam("id") String id,
      @Parameter(description = "hardware class id (hc-…) of registered devices", required = true)
      @QueryParam("hardwareClass") String hardwareClass,
      @Parameter(description = "bound on the predicted loss Σ(1 − agreement), 0..1", required = true)
      @QueryParam("maxAccuracyDrop") Double maxAccuracyDrop,
      @Parameter(description = "budget on the summed worker-host layer latencies (µs)")
      @QueryParam("maxLatencyMicros") Double maxLatencyMicros) {
    return planning.plan(id, hardwareClass, maxAccuracyDrop, maxLatencyMicros);
  }

  private static byte[] read(String part, FileUpload upload, long limit) {
    if (upload == null || upload.uploadedFile() == null) {
      throw new ControlPlaneException(ErrorCode.UPLOAD_MISSING_PART, "file field '" + part + "' is required");
    }
    if (upload.size() > limit) {
      throw new ControlPlaneException(ErrorCode.UPLOAD_TOO_LARGE,
          "'" + part + "' has " + upload.size() + " bytes, the limit is " + limit);
    }
    try {
      return Files.readAllBytes(upload.uploadedFile());
    } catch (IOException e) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "cannot read uploaded '" + part + "'", e);
    }
  }
}
