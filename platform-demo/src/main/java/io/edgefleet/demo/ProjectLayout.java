package io.edgefleet.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build outputs of the platform's services are, relative to the repository root. */
public record ProjectLayout(Path root) {

  public static final String ROOT_PROPERTY = "edgefleet.root";

  /** From {@code -Dedgefleet.root}, else the nearest parent of the working directory that holds {@code mvnw}. */
  public static ProjectLayout detect() {
    String configured = System.getProperty(ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return new ProjectLayout(Path.of(configured).toAbsolutePath().normalize());
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("control-plane"))) {
        return new ProjectLayout(dir);
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "cannot find the repository root: run from inside the checkout or pass -D" + ROOT_PROPERTY + "=<path>");
  }

  public Path controlPlaneJar() {
    return require(root.resolve("control-plane/target/quarkus-app/quarkus-run.jar"));
  }

  /** {@code jar:classpath} of a plain-Java module packaged with a {@code target/classpath.txt}. */
  public String moduleClasspath(String module) {
    Path jar = require(root.resolve(module + "/target/" + module + ".jar"));
    Path cpFile = require(root.resolve(module + "/target/classpath.txt"));
    try {
      String deps = Files.readString(cpFile, StandardCharsets.UTF_8).trim();
      return deps.isEmpty() ? jar.toString() : jar + java.io.File.pathSeparator + deps;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + cpFile, e);
    }
  }

  private static Path require(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException(p + " is missing: build the project first (./mvnw install -DskipTests)");
    }
    return p;
  }
}
