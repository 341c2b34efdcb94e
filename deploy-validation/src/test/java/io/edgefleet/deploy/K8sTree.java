package io.edgefleet.deploy;

import io.edgefleet.deploy.kustomize.Kustomizer;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.validation.ManifestValidator;
import io.edgefleet.deploy.validation.OperatorProvided;
import io.edgefleet.deploy.validation.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** The project's k8s/ directory (system property edgefleet.k8s.dir, set by the POM) and helpers around it. */
final class K8sTree {

  private K8sTree() {}

  static Path root() {
    Path dir = Path.of(System.getProperty("edgefleet.k8s.dir", "../k8s")).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir.resolve("base"))) {
      throw new IllegalStateException("k8s directory not found at " + dir);
    }
    return dir;
  }

  static List<Resource> render(Path k8s, String target) {
    return new Kustomizer().build(k8s.resolve(target));
  }

  static ManifestValidator validator(Path k8s) {
    return ManifestValidator.standard(
        OperatorProvided.load(k8s.resolve("operator-provided.yaml")), TopicCatalog.fromSchemas());
  }

  /** Copies the k8s tree into {@code target} so that a test can break one file of the copy. */
  static Path copyTo(Path target) {
    Path source = root();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path destination = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Replaces {@code from} (which must occur) with {@code to} in {@code file}. */
  static void edit(Path file, String from, String to) {
    try {
      String text = Files.readString(file);
      if (!text.contains(from)) {
        throw new IllegalStateException(file + " does not contain " + from);
      }
      Files.writeString(file, text.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Resource find(List<Resource> resources, String kind, String name) {
    return resources.stream()
        .filter(r -> r.kind().equals(kind) && r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(kind + "/" + name + " not rendered"));
  }
}
