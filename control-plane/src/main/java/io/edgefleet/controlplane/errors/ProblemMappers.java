package io.edgefleet.controlplane.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.Priorities;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 {@code application/problem+json} response with a stable {@code code}. Never
 * exposes exception class names or stack traces; unexpected failures are logged with an id returned to the client.
 */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response controlPlane(ControlPlaneException e, UriInfo uri) {
    if (e.code().status() >= 500) {
      LOG.errorf(e, "%s on %s", e.code().key(), uri.getPath());
    }
    return respond(Problem.of(e.code(), e.getMessage(), uri.getPath()).withExtensions(e.extensions()));
  }

  @ServerExceptionMapper
  public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldError> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldError(field(v), v.getMessage()))
            .sorted(Comparator.comparing(Problem.FieldError::field))
            .toList();
    String detail = errors.size() + " invalid field(s): "
        + String.join(", ", errors.stream().map(f -> f.field() + " " + f.message()).toList());
    return respond(Problem.of(ErrorCode.VALIDATION_FAILED, detail, uri.getPath()).withErrors(errors));
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e, UriInfo uri) {
    return respond(malformedJson(e, uri.getPath()));
  }

  /**
   * A body of the wrong shape (e.g. an array where an object is expected). Declared for the exact type so that it
   * wins over the JSON provider's built-in mapper for it, which would answer with a non-problem body.
   */
  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
    return respond(malformedJson(e, uri.getPath()));
  }

  static Problem malformedJson(JsonProcessingException e, String instance) {
    String detail = e.getOriginalMessage();
    if (detail == null || detail.isBlank()) {
      detail = "the request body is not valid JSON for this endpoint";
    }
    // the original message names JSON tokens and record fields, never Java classes of ours; cut location noise
    int nl = detail.indexOf('\n');
    detail = nl < 0 ? detail : detail.substring(0, nl);
    // Jackson quotes Java types (possibly generic) and tokens in backticks: keep token names, hide types
    detail = detail.replaceAll("`JsonToken\\.([A-Z_]+)`", "$1").replaceAll("`[^`]*`", "the expected type");
    return Problem.of(ErrorCode.MALFORMED_JSON, detail, instance);
  }

  /** The JSON provider cannot bind a type of ours at all: a server defect, never the client's fault. */
  @ServerExceptionMapper(priority = Priorities.USER - 100)
  public Response invalidDefinition(InvalidDefinitionException e, UriInfo uri) {
    return unexpected(e, uri);
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, UriInfo uri) {
    return respond(Problem.of(ErrorCode.NOT_FOUND, "no resource at " + uri.getPath(), uri.getPath()));
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, UriInfo uri) {
    return respond(Problem.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed on " + uri.getPath(), uri.getPath()));
  }

  @ServerExceptionMapper
  public Response notSupported(NotSupportedException e, UriInfo uri) {
    return respond(Problem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported content type", uri.getPath()));
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    if (status < 400) {
      return e.getResponse();
    }
    // the JSON body reader wraps syntax errors (truncated or invalid JSON) in a 400 WebApplicationException
    JsonProcessingException json = jsonCause(e);
    if (json != null && status == 400) {
      return respond(malformedJson(json, uri.getPath()));
    }
    ErrorCode code = status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
    if (status >= 500) {
      LOG.errorf(e, "request to %s failed", uri.getPath());
    }
    Response.StatusType type = e.getResponse().getStatusInfo();
    Problem p = new Problem(Problem.TYPE_PREFIX + code.key(), type.getReasonPhrase(), status,
        status >= 500 ? "internal error" : type.getReasonPhrase(), uri.getPath(), code.key(), null);
    return respond(p);
  }

  /**
   * A request body over {@code quarkus.http.limits.max-body-size}: the multipart reader stops reading with "Request
   * too large". That is the client's fault (413), not an incident.
   */
  @ServerExceptionMapper
  public Response io(java.io.IOException e, UriInfo uri) {
    if ("Request too large".equals(e.getMessage())) {
      LOG.warnf("request body to %s over the HTTP body limit, refused", uri.getPath());
      return respond(Problem.of(ErrorCode.UPLOAD_TOO_LARGE,
          "the request body is larger than the server accepts (quarkus.http.limits.max-body-size)", uri.getPath()));
    }
    return unexpected(e, uri);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    // a failure raised while the transaction commits (e.g. unacknowledged events awaited before commit) arrives
    // wrapped in the transaction manager's rollback exception: answer with the failure itself
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof ControlPlaneException cpe) {
        return controlPlane(cpe, uri);
      }
    }
    String incident = java.util.UUID.randomUUID().toString();
    LOG.errorf(e, "unexpected failure on %s (incident %s)", uri.getPath(), incident);
    return respond(Problem.of(ErrorCode.INTERNAL, "internal error, incident " + incident, uri.getPath()));
  }

  static JsonProcessingException jsonCause(Throwable e) {
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof JsonProcessingException j) {
        return j;
      }
    }
    return null;
  }

  private static String field(ConstraintViolation<?> v) {
    String path = v.getPropertyPath().toString();
    // drop the method and parameter prefix RESTEasy adds (e.g. "create.request.name" -> "name")
    String[] parts = path.split("\\.");
    return parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : path;
  }

  static Response respond(Problem p) {
    return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
  }
}
