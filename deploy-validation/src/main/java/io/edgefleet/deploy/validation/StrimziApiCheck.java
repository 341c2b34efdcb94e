package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.manifest.Resource;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strimzi custom resources against the typed model of {@code io.strimzi:api} (the classes the Strimzi operator
 * itself deserializes into): unknown fields and wrong types are reported, plus the fields the operator needs that the
 * model leaves optional. The model spans API versions, so a field valid only in another version is not caught.
 */
public final class StrimziApiCheck implements ManifestCheck {

  private static final Set<String> VERSIONS = Set.of("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2");
  private static final Map<String, Class<?>> MODELS =
      Map.of("Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class);

  @Override
  public boolean covers(Resource resource) {
    return VERSIONS.contains(resource.apiVersion()) && MODELS.containsKey(resource.kind());
  }

  @Override
  public List<Violation> check(List<Resource> resources) {
    List<Violation> violations = new ArrayList<>();
    for (Resource resource : resources) {
      if (!covers(resource)) {
        continue;
      }
      Object typed = TypedDeserialization.read(resource, MODELS.get(resource.kind()), violations);
      if (typed instanceof Kafka kafka) {
        if (kafka.getSpec() == null || kafka.getSpec().getKafka() == null) {
          violations.add(Violation.of(resource, Rule.MISSING_FIELD, "spec.kafka is required"));
        } else if (kafka.getSpec().getKafka().getListeners() == null
            || kafka.getSpec().getKafka().getListeners().isEmpty()) {
          violations.add(Violation.of(resource, Rule.MISSING_FIELD, "spec.kafka.listeners must not be empty"));
        }
      } else if (typed instanceof KafkaNodePool pool) {
        if (pool.getSpec() == null || pool.getSpec().getRoles() == null || pool.getSpec().getRoles().isEmpty()) {
          violations.add(Violation.of(resource, Rule.MISSING_FIELD, "spec.roles must not be empty"));
        } else if (pool.getSpec().getReplicas() < 1 || pool.getSpec().getStorage() == null) {
          violations.add(Violation.of(resource, Rule.MISSING_FIELD, "spec.replicas >= 1 and spec.storage are required"));
        }
      } else if (typed instanceof KafkaTopic topic) {
        if (topic.getSpec() == null || topic.getSpec().getPartitions() == null || topic.getSpec().getPartitions() < 1) {
          violations.add(Violation.of(resource, Rule.MISSING_FIELD, "spec.partitions >= 1 is required"));
        }
      }
    }
    return violations;
  }
}
