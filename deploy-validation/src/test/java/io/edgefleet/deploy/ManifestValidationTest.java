package io.edgefleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.validation.TopicCatalog;
import io.edgefleet.deploy.validation.Violation;
import io.edgefleet.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The committed manifests are valid: every target renders and passes every check. */
class ManifestValidationTest {

  private final Path k8s = K8sTree.root();

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
  void shouldFindNoViolations(String target) {
    List<Violation> violations = K8sTree.validator(k8s).validate(K8sTree.render(k8s, target));

    assertThat(violations).as(target).isEmpty();
  }

  @Test
  void shouldValidateEveryTargetFromTheCommandLineEntryPoint() {
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    int violations = ValidateManifests.run(k8s, new PrintStream(report, true, StandardCharsets.UTF_8));

    assertThat(violations).isZero();
    assertThat(report.toString(StandardCharsets.UTF_8))
        .contains("base:", "overlays" + java.io.File.separator + "dev:", "overlays" + java.io.File.separator + "prod:");
  }

  @Test
  void shouldDeclareEveryCatalogTopicWithItsDeadLetterTopic() {
    TopicCatalog catalog = TopicCatalog.fromSchemas();
    Set<String> declared = K8sTree.render(k8s, "overlays/prod").stream()
        .filter(r -> r.kind().equals("KafkaTopic"))
        .map(r -> r.body().at("/spec/topicName").asText())
        .collect(Collectors.toSet());

    assertThat(catalog.topics()).contains(
        Topics.BUILD_REQUESTS, Topics.BUILD_RESULTS, Topics.DEVICE_FEEDBACK, Topics.TELEMETRY, Topics.DESIRED_STATE,
        Topics.deadLetter(Topics.BUILD_REQUESTS), Topics.deadLetter(Topics.DESIRED_STATE));
    assertThat(declared).containsAll(catalog.topics());
  }

  @Test
  void shouldScaleTheWorkerOnTheLagOfItsConsumerGroup() {
    for (String target : List.of("overlays/dev", "overlays/prod")) {
      List<Resource> rendered = K8sTree.render(k8s, target);
      JsonNode scaled = K8sTree.find(rendered, "ScaledObject", "quantizer-worker").body();
      JsonNode trigger = scaled.at("/spec/triggers/0");

      assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo("quantizer-worker");
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo("quantizer-workers");
      assertThat(trigger.at("/metadata/topic").asText()).isEqualTo(Topics.BUILD_REQUESTS);
      assertThat(K8sTree.find(rendered, "ConfigMap", "quantizer-worker-config").body().at("/data/WORKER_KAFKA_GROUP_ID").asText())
          .isEqualTo(trigger.at("/metadata/consumerGroup").asText());
    }
  }

  @Test
  void shouldProbeTheControlPlaneOnQuarkusHealthEndpoints() {
    JsonNode container = K8sTree.find(K8sTree.render(k8s, "overlays/prod"), "Deployment", "control-plane")
        .body().at("/spec/template/spec/containers/0");

    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/image").asText()).isEqualTo("edgefleet/control-plane:0.1.0");
  }
}
