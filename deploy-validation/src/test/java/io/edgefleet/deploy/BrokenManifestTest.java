package io.edgefleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.validation.Rule;
import io.edgefleet.deploy.validation.Violation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mistakes, fed through the renderer and the validator, are caught with the rule and place they break. */
class BrokenManifestTest {

  private final Path k8s = K8sTree.root();

  // ------------------------------------------------------------ broken files, rendered from a copy of k8s/

  @Test
  void shouldCatchATypoInADeploymentFieldFile(@TempDir Path dir) {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("base/control-plane/deployment.yaml"), "          readinessProbe:", "          readynessProbe:");

    assertThatViolations(copy, "overlays/prod")
        .anySatisfy(v -> {
          assertThat(v.rule()).isEqualTo(Rule.UNKNOWN_FIELD);
          assertThat(v.resource()).isEqualTo("Deployment.apps/edgefleet/control-plane");
          assertThat(v.message()).contains("spec.template.spec.containers[0].readynessProbe");
        });
  }

  @Test
  void shouldCatchAServiceSelectorThatMatchesNoPods(@TempDir Path dir) {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("base/control-plane/service.yaml"),
        "  selector:\n    app.kubernetes.io/name: control-plane", "  selector:\n    app.kubernetes.io/name: controlplane");

    assertThatViolations(copy, "overlays/dev")
        .anySatisfy(v -> {
          assertThat(v.rule()).isEqualTo(Rule.SELECTOR_MISMATCH);
          assertThat(v.resource()).isEqualTo("Service/edgefleet/control-plane");
        });
  }

  @Test
  void shouldCatchAnOverlayResourceOutsideTheNamespace(@TempDir Path dir) {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("overlays/prod/kustomization.yaml"), "namespace: edgefleet\n", "");

    assertThatViolations(copy, "overlays/prod")
        .anySatisfy(v -> {
          assertThat(v.rule()).isEqualTo(Rule.NAMESPACE);
          assertThat(v.resource()).isEqualTo("PodDisruptionBudget.policy/control-plane");
        });
  }

  @Test
  void shouldReportBrokenManifestsThroughTheCommandLineEntryPoint(@TempDir Path dir) {
    Path copy = K8sTree.copyTo(dir);
    K8sTree.edit(copy.resolve("base/quantizer-worker/deployment.yaml"),
        "image: edgefleet/quantizer-worker:0.1.0", "image: edgefleet/quantizer-worker:latest");
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    int violations = ValidateManifests.run(copy, new PrintStream(report, true, StandardCharsets.UTF_8));

    // base and dev keep :latest; prod's images transformer pins the tag again
    assertThat(violations).isEqualTo(2);
    assertThat(report.toString(StandardCharsets.UTF_8)).contains("[unpinned-image]", "quantizer-worker:latest");
  }

  // ------------------------------------------------------------ rendered objects broken in memory

  @Test
  void shouldCatchUnknownAndMistypedFieldsOfBuiltInKinds() {
    assertThatBroken("Deployment", "quantizer-worker", r -> container(r).put("imagePullPolcy", "Always"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_FIELD, "containers[0].imagePullPolcy"));
    assertThatBroken("Deployment", "control-plane", r -> spec(r).put("replicas", "3"))
        .anySatisfy(v -> expect(v, Rule.INVALID_VALUE, "replicas"));
    assertThatBroken("DaemonSet", "edge-agent", r -> spec(r).with("template").with("spec").put("tolerations", "all"))
        .anySatisfy(v -> expect(v, Rule.INVALID_VALUE, "tolerations"));
    assertThatBroken("PodDisruptionBudget", "control-plane", r -> r.body().put("apiVersion", "policy/v1beta1"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_KIND, "policy/v1beta1"));
    assertThatBroken("Service", "minio", r -> r.body().put("kind", "Servce"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_KIND, "Servce"));
  }

  @Test
  void shouldCatchUnknownFieldsOfStrimziResources() {
    assertThatBroken("Kafka", "edgefleet-kafka", r -> {
      ObjectNode kafka = spec(r).with("kafka");
      kafka.set("listners", kafka.remove("listeners"));
    })
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_FIELD, "spec.kafka.listners"))
        .anySatisfy(v -> expect(v, Rule.MISSING_FIELD, "listeners"));
    assertThatBroken("KafkaTopic", "fleet.telemetry", r -> spec(r).put("partitions", "many"))
        .anySatisfy(v -> expect(v, Rule.INVALID_VALUE, "partitions"));
  }

  @Test
  void shouldCatchCloudNativePgAndKedaFieldsOutsideTheirSchemas() {
    assertThatBroken("Cluster", "edgefleet-db", r -> {
      ObjectNode initdb = spec(r).with("bootstrap").with("initdb");
      initdb.set("databse", initdb.remove("database"));
    }).anySatisfy(v -> expect(v, Rule.UNKNOWN_FIELD, "databse"));
    assertThatBroken("Cluster", "edgefleet-db",
        r -> spec(r).with("postgresql").with("parameters").put("max_connections", 200))
        .anySatisfy(v -> expect(v, Rule.INVALID_VALUE, "max_connections"));
    assertThatBroken("ScaledObject", "quantizer-worker", r -> {
      ObjectNode metadata = (ObjectNode) spec(r).get("triggers").get(0).get("metadata");
      metadata.set("lagTreshold", metadata.remove("lagThreshold"));
    }).anySatisfy(v -> expect(v, Rule.UNKNOWN_FIELD, "lagTreshold"));
    assertThatBroken("ScaledObject", "quantizer-worker", r -> spec(r).put("maxReplicaCount", 50))
        .anySatisfy(v -> expect(v, Rule.INVALID_VALUE, "exceeds the 12 partitions"));
  }

  @Test
  void shouldCatchDanglingConfigAndSecretReferences() {
    assertThatBroken("Deployment", "control-plane",
        r -> ((ObjectNode) container(r).get("env").get(0).at("/valueFrom/secretKeyRef")).put("name", "edgefleet-postgres"))
        .anySatisfy(v -> expect(v, Rule.DANGLING_REFERENCE, "Secret 'edgefleet-postgres'"));
    assertThatBroken("Deployment", "control-plane",
        r -> ((ObjectNode) container(r).get("env").get(0).at("/valueFrom/secretKeyRef")).put("key", "user"))
        .anySatisfy(v -> expect(v, Rule.DANGLING_REFERENCE, "has no key 'user'"));
    assertThatBroken("Job", "minio-create-bucket",
        r -> ((ObjectNode) container(r).get("env").get(0).at("/valueFrom/configMapKeyRef")).put("key", "BUCKET"))
        .anySatisfy(v -> expect(v, Rule.DANGLING_REFERENCE, "ConfigMap 'control-plane-config' has no key 'BUCKET'"));
    assertThatBroken("DaemonSet", "edge-agent",
        r -> spec(r).with("template").with("spec").put("serviceAccountName", "agent"))
        .anySatisfy(v -> expect(v, Rule.DANGLING_REFERENCE, "serviceAccountName 'agent'"));
  }

  @Test
  void shouldCatchPortsThatProbesAndServicesNameButContainersDoNotDeclare() {
    assertThatBroken("Deployment", "control-plane",
        r -> ((ObjectNode) container(r).at("/livenessProbe/httpGet")).put("port", "management"))
        .anySatisfy(v -> expect(v, Rule.PORT_MISMATCH, "livenessProbe uses port management"));
    assertThatBroken("Service", "minio", r -> ((ObjectNode) spec(r).get("ports").get(0)).put("targetPort", 9001))
        .anySatisfy(v -> expect(v, Rule.PORT_MISMATCH, "targetPort 9001"));
  }

  @Test
  void shouldCatchConfiguredAddressesThatNoServiceAnswers() {
    assertThatBroken("ConfigMap", "control-plane-config",
        r -> r.body().with("data").put("KAFKA_BOOTSTRAP_SERVERS", "edgefleet-kafka-bootstrap:9092"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_ADDRESS, "names no Service edgefleet-kafka-bootstrap"));
    assertThatBroken("ConfigMap", "control-plane-config",
        r -> r.body().with("data").put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://edgefleet-db-rw:5433/edgefleet"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_ADDRESS, "does not expose port 5433"));
    assertThatBroken("ConfigMap", "edge-agent-config", r -> r.body().with("data").put("agent.properties",
        "control-plane.url=http://control-plane.edgefleet.svc.cluster.local:8081\n"))
        .anySatisfy(v -> expect(v, Rule.UNKNOWN_ADDRESS, "does not expose port 8081"));
  }

  @Test
  void shouldCatchMissingTopicsAndAnUncompactedDesiredStateTopic() {
    List<Resource> rendered = K8sTree.render(k8s, "overlays/prod");
    rendered.removeIf(r -> r.kind().equals("KafkaTopic") && r.name().equals("fleet.build.results.dlq"));
    ((ObjectNode) K8sTree.find(rendered, "KafkaTopic", "fleet.device.desired-state").body().at("/spec/config"))
        .put("cleanup.policy", "delete");

    assertThat(K8sTree.validator(k8s).validate(rendered))
        .anySatisfy(v -> expect(v, Rule.TOPIC_CATALOG, "'fleet.build.results.dlq' has no KafkaTopic"))
        .anySatisfy(v -> expect(v, Rule.TOPIC_CATALOG, "must have cleanup.policy=compact"));
  }

  @Test
  void shouldCatchUnpinnedImagesAndMissingSecurityOrResources() {
    assertThatBroken("StatefulSet", "minio", r -> container(r).put("image", "minio/minio"))
        .anySatisfy(v -> expect(v, Rule.UNPINNED_IMAGE, "minio/minio"));
    assertThatBroken("Deployment", "quantizer-worker", r -> {
      container(r).remove("resources");
      ((ObjectNode) container(r).get("securityContext")).put("allowPrivilegeEscalation", true);
    })
        .anySatisfy(v -> expect(v, Rule.POLICY, "resources.limits.memory"))
        .anySatisfy(v -> expect(v, Rule.POLICY, "privilege escalation"));
  }

  @Test
  void shouldCatchAnHpaFightingTheKedaScaledObject() {
    List<Resource> rendered = K8sTree.render(k8s, "overlays/prod");
    Resource hpa = Resource.of(io.edgefleet.deploy.manifest.ManifestYaml.parseDocuments("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: worker, namespace: edgefleet}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: quantizer-worker}
          minReplicas: 1
          maxReplicas: 4
        """, "test").get(0), "test");
    rendered.add(hpa);

    assertThat(K8sTree.validator(k8s).validate(rendered))
        .anySatisfy(v -> expect(v, Rule.DANGLING_REFERENCE, "already scaled by ScaledObject"));
  }

  // ------------------------------------------------------------ helpers

  private ListAssert<Violation> assertThatViolations(Path copy, String target) {
    return assertThat(K8sTree.validator(copy).validate(K8sTree.render(copy, target)));
  }

  private ListAssert<Violation> assertThatBroken(String kind, String name, Consumer<Resource> breakIt) {
    List<Resource> rendered = K8sTree.render(k8s, "overlays/prod");
    assertThat(K8sTree.validator(k8s).validate(rendered)).as("clean before breaking").isEmpty();
    breakIt.accept(K8sTree.find(rendered, kind, name));
    return assertThat(K8sTree.validator(k8s).validate(rendered)).as("after breaking " + kind + "/" + name);
  }

  private static void expect(Violation violation, Rule rule, String messagePart) {
    assertThat(violation.rule()).isEqualTo(rule);
    assertThat(violation.message()).contains(messagePart);
  }

  private static ObjectNode spec(Resource resource) {
    return resource.body().with("spec");
  }

  private static ObjectNode container(Resource resource) {
    ArrayNode containers = (ArrayNode) resource.body().at("/spec/template/spec/containers");
    return (ObjectNode) containers.get(0);
  }
}
