package io.edgefleet.deploy.validation;

/** What a {@link Violation} breaks. Keys are stable. */
public enum Rule {
  /** A field the kind's API does not define (typo, wrong nesting, field of another API version). */
  UNKNOWN_FIELD("unknown-field"),
  /** A value of the wrong type or outside the allowed values. */
  INVALID_VALUE("invalid-value"),
  /** A required field is missing. */
  MISSING_FIELD("missing-field"),
  /** No check knows this apiVersion + kind. */
  UNKNOWN_KIND("unknown-kind"),
  /** A Service, PodDisruptionBudget or workload selector matches no pod template. */
  SELECTOR_MISMATCH("selector-mismatch"),
  /** A reference to a ConfigMap, Secret, key, ServiceAccount, Deployment or Kafka cluster that does not exist. */
  DANGLING_REFERENCE("dangling-reference"),
  /** A service address (host:port in configuration) names no Service or a port it does not expose. */
  UNKNOWN_ADDRESS("unknown-address"),
  /** A port named by a probe or Service that the container does not declare. */
  PORT_MISMATCH("port-mismatch"),
  /** A topic of the catalog without its KafkaTopic, or one configured against the catalog's contract. */
  TOPIC_CATALOG("topic-catalog"),
  /** An image without a tag or digest, or tagged latest. */
  UNPINNED_IMAGE("unpinned-image"),
  /** A namespaced object outside a rendered Namespace. */
  NAMESPACE("namespace"),
  /** Resource requests/limits or security context missing. */
  POLICY("policy");

  private final String key;

  Rule(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
