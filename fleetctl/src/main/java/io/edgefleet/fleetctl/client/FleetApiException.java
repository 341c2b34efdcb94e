package io.edgefleet.fleetctl.client;

import io.edgefleet.fleetctl.FleetctlException;

/** A non-2xx answer from the control plane, with its problem document. */
public final class FleetApiException extends FleetctlException {
  private final ApiProblem problem;
  private final String method;
  private final String path;

  public FleetApiException(String method, String path, ApiProblem problem) {
    super(codeFor(problem.status()), method + " " + path + ": " + problem.describe());
    this.problem = problem;
    this.method = method;
    this.path = path;
  }

  public ApiProblem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  private static ErrorCode codeFor(int status) {
    if (status == 401 || status == 403) {
      return ErrorCode.NOT_AUTHORIZED;
    }
    return status >= 500 ? ErrorCode.SERVER_ERROR : ErrorCode.REQUEST_REJECTED;
  }
}
