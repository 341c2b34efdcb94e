package io.edgefleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.kustomize.Kustomizer;
import io.edgefleet.deploy.kustomize.StrategicMergePatch;
import io.edgefleet.deploy.manifest.ManifestYaml;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.manifest.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizerTest {

  private final Path k8s = K8sTree.root();

  @Test
  void shouldPutEveryNamespacedObjectOfEveryTargetIntoTheEdgefleetNamespace() {
    for (Path target : ValidateManifests.targets(k8s)) {
      List<Resource> rendered = new Kustomizer().build(target);
      assertThat(rendered).as(target.toString()).hasSizeGreaterThan(20);
      for (Resource resource : rendered) {
        if (!Scope.isClusterScoped(resource.kind())) {
          assertThat(resource.namespace()).as(resource.toString()).isEqualTo("edgefleet");
        }
        assertThat(resource.body().path("metadata").path("labels").path("app.kubernetes.io/part-of").asText())
            .as(resource.toString())
            .isEqualTo("edgefleet");
      }
    }
  }

  @Test
  void shouldApplyDevPatchesByKindAndNameAndKeepUnpatchedFields() {
    List<Resource> dev = K8sTree.render(k8s, "overlays/dev");

    JsonNode controlPlane = K8sTree.find(dev, "Deployment", "control-plane").body();
    assertThat(controlPlane.at("/spec/replicas").asInt()).isEqualTo(1);
    JsonNode container = controlPlane.at("/spec/template/spec/containers/0");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("512Mi");
    // merged by container name: the rest of the container is the base's
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/env")).hasSizeGreaterThan(3);
    assertThat(controlPlane.at("/spec/template/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("edgefleet");

    assertThat(K8sTree.find(dev, "KafkaNodePool", "dual-role").body().at("/spec/replicas").asInt()).isEqualTo(1);
    JsonNode kafkaConfig = K8sTree.find(dev, "Kafka", "edgefleet-kafka").body().at("/spec/kafka/config");
    assertThat(kafkaConfig.path("default.replication.factor").asInt()).isEqualTo(1);
    assertThat(kafkaConfig.path("auto.create.topics.enable").asBoolean(true)).isFalse();
    assertThat(K8sTree.find(dev, "ScaledObject", "quantizer-worker").body().at("/spec/maxReplicaCount").asInt()).isEqualTo(2);
    assertThat(K8sTree.find(dev, "Cluster", "edgefleet-db").body().at("/spec/bootstrap/initdb/database").asText())
        .isEqualTo("edgefleet");
  }

  @Test
  void shouldAddProdDisruptionBudgetsAndReplicas() {
    List<Resource> prod = K8sTree.render(k8s, "overlays/prod");

    assertThat(K8sTree.find(prod, "Deployment", "control-plane").body().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(prod).filteredOn(r -> r.kind().equals("PodDisruptionBudget")).extracting(Resource::name)
        .containsExactlyInAnyOrder("control-plane", "quantizer-worker", "minio");
    assertThat(prod).noneMatch(r -> r.kind().equals("HorizontalPodAutoscaler"));
    assertThat(K8sTree.find(prod, "Cluster", "edgefleet-db").body().at("/spec/instances").asInt()).isEqualTo(3);
  }

  @Test
  void shouldMergeListsWithMergeKeysAndReplaceOthers() {
    ObjectNode target = json("""
        {"spec":{"containers":[{"name":"a","image":"x:1","env":[{"name":"K","value":"1"}],"ports":[{"containerPort":80,"name":"http"}]},
                               {"name":"b","image":"y:1"}],
                 "tolerations":[{"key":"t1"}]}}""");
    ObjectNode patch = json("""
        {"spec":{"containers":[{"name":"a","env":[{"name":"K","value":"2"},{"name":"L","value":"3"}],"ports":[{"containerPort":80,"protocol":"TCP"}]},
                               {"name":"c","image":"z:1"}],
                 "tolerations":[{"key":"t2"}]}}""");

    StrategicMergePatch.apply(target, patch, true);

    assertThat(target.at("/spec/containers")).hasSize(3);
    assertThat(target.at("/spec/containers/0/image").asText()).isEqualTo("x:1");
    assertThat(target.at("/spec/containers/0/env/0/value").asText()).isEqualTo("2");
    assertThat(target.at("/spec/containers/0/env/1/name").asText()).isEqualTo("L");
    assertThat(target.at("/spec/containers/0/ports/0/name").asText()).isEqualTo("http");
    assertThat(target.at("/spec/containers/0/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(target.at("/spec/containers/2/name").asText()).isEqualTo("c");
    assertThat(target.at("/spec/tolerations")).hasSize(1);
    assertThat(target.at("/spec/tolerations/0/key").asText()).isEqualTo("t2");
  }

  @Test
  void shouldReplaceListsOfCustomResourcesAndDeleteNullFields() {
    ObjectNode target = json("{\"spec\":{\"roles\":[\"broker\",\"controller\"],\"replicas\":3,\"x\":1}}");
    StrategicMergePatch.apply(target, json("{\"spec\":{\"roles\":[\"broker\"],\"x\":null}}"), false);
    assertThat(target.toString()).isEqualTo("{\"spec\":{\"roles\":[\"broker\"],\"replicas\":3}}");
  }

  @Test
  void shouldRejectKustomizeFeaturesItDoesNotImplement(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n");
    for (String unsupported : List.of(
        "commonLabels:\n  a: b\n",
        "namePrefix: x-\n",
        "configMapGenerator:\n  - name: g\n",
        "patches:\n  - path: cm.yaml\n    target:\n      kind: ConfigMap\n")) {
      Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - cm.yaml\n" + unsupported);
      assertThatThrownBy(() -> new Kustomizer().build(dir))
          .as(unsupported)
          .isInstanceOf(DeployException.class)
          .extracting(e -> ((DeployException) e).code())
          .isEqualTo(ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE);
    }
  }

  @Test
  void shouldFailWhenAPatchMatchesNoResource(@TempDir Path dir) throws IOException {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("overlays/dev/workloads.yaml"), "name: quantizer-worker\nspec:", "name: quantiser-worker\nspec:");

    assertThatThrownBy(() -> new Kustomizer().build(copy.resolve("overlays/dev")))
        .isInstanceOf(DeployException.class)
        .hasMessageContaining("quantiser-worker")
        .extracting(e -> ((DeployException) e).code())
        .isEqualTo(ErrorCode.PATCH_TARGET_NOT_FOUND);
  }

  @Test
  void shouldRewriteImagesWithTheImagesTransformer(@TempDir Path dir) throws IOException {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("overlays/prod/kustomization.yaml"),
        "  - name: edgefleet/control-plane\n    newTag: 0.1.0",
        "  - name: edgefleet/control-plane\n    newName: registry.example/edgefleet/control-plane\n    newTag: 0.2.0");

    List<Resource> prod = new Kustomizer().build(copy.resolve("overlays/prod"));

    assertThat(K8sTree.find(prod, "Deployment", "control-plane").body().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.example/edgefleet/control-plane:0.2.0");
  }

  private static ObjectNode json(String text) {
    List<ObjectNode> documents = new ArrayList<>(ManifestYaml.parseDocuments(text, "test"));
    return documents.get(0);
  }
}
