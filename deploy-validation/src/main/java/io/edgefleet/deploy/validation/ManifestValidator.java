package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.manifest.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every {@link ManifestCheck} over a rendered set of manifests. */
public final class ManifestValidator {

  private final List<ManifestCheck> checks;

  public ManifestValidator(List<ManifestCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Kubernetes API, Strimzi model, CloudNativePG/KEDA schemas and the cross-reference checks. */
  public static ManifestValidator standard(OperatorProvided provided, TopicCatalog catalog) {
    return new ManifestValidator(
        List.of(new KubernetesApiCheck(), new StrimziApiCheck(), new CrdSchemaCheck(),
            new CrossReferenceCheck(provided, catalog)));
  }

  /** Every violation, sorted by resource; a resource whose apiVersion + kind no check knows is one too. */
  public List<Violation> validate(List<Resource> resources) {
    List<Violation> violations = new ArrayList<>();
    for (Resource resource : resources) {
      if (checks.stream().noneMatch(check -> check.covers(resource))) {
        violations.add(Violation.of(resource, Rule.UNKNOWN_KIND,
            "no schema for " + resource.apiVersion() + " " + resource.kind() + " (typo, or a kind to add to a check)"));
      }
    }
    for (ManifestCheck check : checks) {
      violations.addAll(check.check(resources));
    }
    violations.sort(Comparator.comparing(Violation::resource).thenComparing(Violation::message));
    return violations;
  }
}
