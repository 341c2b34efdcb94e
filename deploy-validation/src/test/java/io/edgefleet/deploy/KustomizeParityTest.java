package io.edgefleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.deploy.manifest.ManifestYaml;
import io.edgefleet.deploy.manifest.Resource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Compares the Java renderer with the real Kustomize built into {@code kubectl} ({@code kubectl kustomize}, no
 * cluster needed), object by object. Runs where a {@code kubectl} binary is on the PATH; elsewhere it is skipped and
 * the renderer is covered by {@link KustomizerTest} alone.
 */
class KustomizeParityTest {

  @Test
  void shouldRenderEveryTargetExactlyLikeKubectlKustomize() throws Exception {
    Path kubectl = onPath("kubectl");
    assumeTrue(kubectl != null, "kubectl is not on the PATH");
    Path k8s = K8sTree.root();

    for (Path target : ValidateManifests.targets(k8s)) {
      Map<String, JsonNode> ours = byId(K8sTree.render(k8s, k8s.relativize(target).toString()));
      Map<String, JsonNode> theirs = byId(ManifestYaml.parseDocuments(kustomize(kubectl, target), "kubectl kustomize")
          .stream().map(d -> Resource.of(d, "kubectl kustomize " + target)).toList());

      assertThat(ours.keySet()).as(target.toString()).isEqualTo(theirs.keySet());
      for (String id : ours.keySet()) {
        assertThat(ours.get(id)).as(target + " " + id).isEqualTo(theirs.get(id));
      }
    }
  }

  private static String kustomize(Path kubectl, Path target) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(kubectl.toString(), "kustomize", target.toString())
        .redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + target).isZero();
    return new String(output, StandardCharsets.UTF_8);
  }

  private static Map<String, JsonNode> byId(List<Resource> resources) {
    Map<String, JsonNode> map = new TreeMap<>();
    resources.forEach(r -> map.put(r.id().toString(), r.body()));
    return map;
  }

  private static Path onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
