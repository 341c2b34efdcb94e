package io.edgefleet.controlplane.testing;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Fails the calling test at once, with the problem document, when the control plane answers 5xx: no test of this
 * module expects a server error, and the problem's incident id is what finds the stack trace in the server log
 * (a bare "expected 200 but was 500" does not).
 */
public final class ServerErrorFilter implements Filter {
  @Override
  public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
      FilterContext context) {
    Response r = context.next(request, response);
    if (r.statusCode() >= 500) {
      throw new AssertionError(request.getMethod() + " " + request.getURI() + " answered " + r.statusCode() + ": "
          + r.asString());
    }
    return r;
  }
}
