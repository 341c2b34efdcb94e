package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.manifest.Resource;
import java.util.List;

/** One family of checks over a rendered set of manifests. */
public sealed interface ManifestCheck
    permits KubernetesApiCheck, StrimziApiCheck, CrdSchemaCheck, CrossReferenceCheck {

  /** Whether this check validates the schema of {@code resource}'s apiVersion and kind. */
  boolean covers(Resource resource);

  /** Violations found in {@code resources} (the whole rendered set, so references can be resolved). */
  List<Violation> check(List<Resource> resources);
}
