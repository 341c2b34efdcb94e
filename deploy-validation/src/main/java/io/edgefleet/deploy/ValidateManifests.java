package io.edgefleet.deploy;

import io.edgefleet.deploy.kustomize.Kustomizer;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.validation.ManifestValidator;
import io.edgefleet.deploy.validation.OperatorProvided;
import io.edgefleet.deploy.validation.TopicCatalog;
import io.edgefleet.deploy.validation.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command line: renders {@code <k8s>/base} and every {@code <k8s>/overlays/*}, validates each and prints the
 * violations. Exit code 0 when all are clean, 1 otherwise.
 *
 * <pre>java -cp ... io.edgefleet.deploy.ValidateManifests k8s</pre>
 */
public final class ValidateManifests {

  private ValidateManifests() {}

  public static void main(String[] args) {
    Path k8s = Path.of(args.length > 0 ? args[0] : "k8s");
    int violations = run(k8s, System.out);
    System.exit(violations == 0 ? 0 : 1);
  }

  /** Validates every kustomization under {@code k8s}, printing a report to {@code out}; returns the violation count. */
  public static int run(Path k8s, PrintStream out) {
    ManifestValidator validator =
        ManifestValidator.standard(OperatorProvided.load(k8s.resolve("operator-provided.yaml")), TopicCatalog.fromSchemas());
    Kustomizer kustomizer = new Kustomizer();
    int total = 0;
    for (Path target : targets(k8s)) {
      List<Resource> rendered = kustomizer.build(target);
      List<Violation> violations = validator.validate(rendered);
      out.printf("%s: %d objects, %d violations%n", k8s.relativize(target), rendered.size(), violations.size());
      violations.forEach(v -> out.println("  " + v));
      total += violations.size();
    }
    return total;
  }

  /** {@code base} and each directory under {@code overlays}. */
  public static List<Path> targets(Path k8s) {
    List<Path> targets = new ArrayList<>();
    targets.add(k8s.resolve("base"));
    try (Stream<Path> overlays = Files.list(k8s.resolve("overlays"))) {
      overlays.filter(Files::isDirectory).sorted().forEach(targets::add);
    } catch (IOException e) {
      throw new DeployException(ErrorCode.MANIFEST_UNREADABLE, k8s.resolve("overlays") + ": " + e.getMessage(), e);
    }
    return targets;
  }
}
