package io.edgefleet.controlplane.auth;

import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.errors.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Security failures of operator endpoints as RFC 9457 problems: no or invalid bearer token → 401
 * {@code auth.unauthenticated} with a {@code WWW-Authenticate: Bearer} challenge, missing role → 403
 * {@code auth.forbidden}. Requires lazy authentication ({@code quarkus.http.auth.proactive=false}) so that the
 * failures reach the REST layer.
 */
public class SecurityProblemMappers {

  @ServerExceptionMapper
  public Response unauthorized(UnauthorizedException e, UriInfo uri) {
    return unauthenticated("a valid bearer token is required", uri);
  }

  @ServerExceptionMapper
  public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
    return unauthenticated("the bearer token is invalid or expired", uri);
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e, UriInfo uri) {
    Problem p = Problem.of(ErrorCode.AUTH_FORBIDDEN, "the token's roles do not allow this operation", uri.getPath());
    return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
  }

  private static Response unauthenticated(String detail, UriInfo uri) {
    Problem p = Problem.of(ErrorCode.AUTH_UNAUTHENTICATED, detail, uri.getPath());
    return Response.status(p.status()).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .entity(p).build();
  }
}
