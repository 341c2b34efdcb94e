package io.edgefleet.controlplane.models;

import io.edgefleet.controlplane.auth.Roles;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** {@code /api/models}: upload (multipart) and list float models. */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ModelResource {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ModelService models;
  private final EdgefleetConfig config;

  public ModelResource(ModelService models, EdgefleetConfig config) {
    this.models = models;
    this.config = config;
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
  public ModelView get(@PathParam("id") String id) {
    return ModelService.view(models.require(id));
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
