package io.edgefleet.controlplane.ratelimit;

import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.errors.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link DeviceRateLimiter} to the calls devices make: {@code /api/devices/{id}/…} sub-resources (assignment
 * polls and the like) are charged to the device id, registration ({@code POST /api/devices}) to the device token that
 * carries it (so a fleet behind one NAT address is not throttled as one client), or to the client address without a
 * token. Over the limit → 429 problem+json with {@code Retry-After}. Enrolment ({@code POST /api/devices/auth}) is not
 * charged here: it is bounded by its signature check, replay table and body cap (docs/security.md). Operator reads of
 * the registry ({@code GET /api/devices}, {@code GET /api/devices/{id}}) are not device calls and are not limited here.
 */
public class DeviceRateLimitFilter {
  private static final Pattern DEVICE_SUBRESOURCE = Pattern.compile("^/api/devices/([^/]+)/.+$");

  @Inject DeviceRateLimiter limiter;

  @ServerRequestFilter(preMatching = true)
  public Response limit(ContainerRequestContext ctx, HttpServerRequest request) {
    String path = ctx.getUriInfo().getPath();
    String key = null;
    Matcher m = DEVICE_SUBRESOURCE.matcher(path);
    if (m.matches()) {
      key = "device:" + m.group(1);
    } else if ("POST".equals(ctx.getMethod()) && path.equals("/api/devices")) {
      String authorization = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
      key = authorization != null && !authorization.isBlank()
          ? "token:" + io.edgefleet.schemas.events.BuildKeys.sha256Hex(
              authorization.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32)
          : "address:" + (request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress());
    }
    if (key == null) {
      return null;
    }
    Duration wait = limiter.acquire(key);
    if (wait.isZero()) {
      return null;
    }
    long retryAfter = Math.max(1, (wait.toMillis() + 999) / 1000);
    Problem problem = Problem.of(ErrorCode.RATE_LIMITED,
        "too many requests for " + key.substring(key.indexOf(':') + 1) + "; retry after " + retryAfter + " s", path);
    return Response.status(429).type(Problem.MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, retryAfter)
        .entity(problem).build();
  }
}
