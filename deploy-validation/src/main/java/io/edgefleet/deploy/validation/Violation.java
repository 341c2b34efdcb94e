package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.manifest.Resource;

/**
 * One problem found in the rendered manifests.
 *
 * @param resource the object it was found in, e.g. {@code Deployment.apps/edgefleet/control-plane}
 * @param origin the file the object came from
 * @param rule the rule broken
 * @param message what is wrong, with the field path
 */
public record Violation(String resource, String origin, Rule rule, String message) {

  static Violation of(Resource resource, Rule rule, String message) {
    return new Violation(resource.id().toString(), resource.origin(), rule, message);
  }

  @Override
  public String toString() {
    return "[" + rule.key() + "] " + resource + ": " + message + " (" + origin + ")";
  }
}
