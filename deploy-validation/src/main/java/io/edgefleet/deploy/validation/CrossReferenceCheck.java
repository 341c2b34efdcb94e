package io.edgefleet.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.kustomize.ImageRef;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.manifest.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that need the whole rendered set: selectors, references, ports, addresses, the topic catalog, images and
 * the security/resources policy. See {@link Rule} for what each violation means.
 */
public final class CrossReferenceCheck implements ManifestCheck {

  private static final Set<String> POD_WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");
  private static final String STRIMZI_CLUSTER_LABEL = "strimzi.io/cluster";
  /** host:port with an optional scheme (http://, jdbc:postgresql://) and an optional path. */
  private static final Pattern ADDRESS =
      Pattern.compile("^(?:[a-z][a-z0-9+.:-]*://)?([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*):([0-9]{1,5})(/.*)?$");

  /** key=value line of a properties file mounted from a ConfigMap. */
  private static final Pattern PROPERTY_LINE = Pattern.compile("^([A-Za-z0-9_.-]+)\\s*=\\s*(.*)$");

  private final OperatorProvided provided;
  private final TopicCatalog catalog;

  public CrossReferenceCheck(OperatorProvided provided, TopicCatalog catalog) {
    this.provided = Objects.requireNonNull(provided, "provided");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  @Override
  public boolean covers(Resource resource) {
    return false;
  }

  /** A pod template of a workload. */
  private record PodTemplate(Resource owner, Map<String, String> labels, JsonNode spec) {}

  @Override
  public List<Violation> check(List<Resource> resources) {
    List<Violation> out = new ArrayList<>();
    List<PodTemplate> templates = podTemplates(resources);
    checkNamespaces(resources, out);
    checkWorkloadSelectors(resources, out);
    checkServices(resources, templates, out);
    checkDisruptionBudgets(resources, templates, out);
    for (PodTemplate template : templates) {
      checkPodSpec(resources, template, out);
    }
    checkTopics(resources, out);
    checkScaledObjects(resources, out);
    checkAddresses(resources, out);
    return out;
  }

  // ---------------------------------------------------------------- namespaces and selectors

  private static void checkNamespaces(List<Resource> resources, List<Violation> out) {
    Set<String> namespaces = new HashSet<>();
    for (Resource resource : resources) {
      if (resource.kind().equals("Namespace")) {
        namespaces.add(resource.name());
      }
    }
    for (Resource resource : resources) {
      if (Scope.isClusterScoped(resource.kind())) {
        continue;
      }
      if (resource.namespace() == null) {
        out.add(Violation.of(resource, Rule.NAMESPACE, "namespaced object without metadata.namespace"));
      } else if (!namespaces.contains(resource.namespace())) {
        out.add(Violation.of(resource, Rule.NAMESPACE, "namespace '" + resource.namespace() + "' is not rendered"));
      }
    }
  }

  private static void checkWorkloadSelectors(List<Resource> resources, List<Violation> out) {
    for (Resource resource : resources) {
      if (!POD_WORKLOADS.contains(resource.kind()) || resource.kind().equals("Job")) {
        continue;
      }
      Map<String, String> selector = strings(resource.body().path("spec").path("selector").path("matchLabels"));
      Map<String, String> labels = strings(resource.body().path("spec").path("template").path("metadata").path("labels"));
      if (selector.isEmpty()) {
        out.add(Violation.of(resource, Rule.SELECTOR_MISMATCH, "spec.selector.matchLabels is empty"));
      } else if (!matches(selector, labels)) {
        out.add(Violation.of(resource, Rule.SELECTOR_MISMATCH,
            "spec.selector.matchLabels " + selector + " does not match the pod template labels " + labels));
      }
    }
  }

  private static void checkServices(List<Resource> resources, List<PodTemplate> templates, List<Violation> out) {
    for (Resource service : resources) {
      if (!service.kind().equals("Service")) {
        continue;
      }
      Map<String, String> selector = strings(service.body().path("spec").path("selector"));
      if (selector.isEmpty()) {
        continue;
      }
      List<PodTemplate> selected = select(templates, service.namespace(), selector);
      if (selected.isEmpty()) {
        out.add(Violation.of(service, Rule.SELECTOR_MISMATCH, "selector " + selector + " matches no pod template"));
        continue;
      }
      for (JsonNode port : service.body().path("spec").path("ports")) {
        JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.path("port");
        for (PodTemplate template : selected) {
          if (!declaresPort(template.spec().path("containers"), target)) {
            out.add(Violation.of(service, Rule.PORT_MISMATCH, "targetPort " + target.asText() + " of port '"
                + port.path("name").asText() + "' is not a container port of " + template.owner().id()));
          }
        }
      }
    }
  }

  private static void checkDisruptionBudgets(List<Resource> resources, List<PodTemplate> templates, List<Violation> out) {
    for (Resource pdb : resources) {
      if (!pdb.kind().equals("PodDisruptionBudget")) {
        continue;
      }
      Map<String, String> selector = strings(pdb.body().path("spec").path("selector").path("matchLabels"));
      if (selector.isEmpty() || select(templates, pdb.namespace(), selector).isEmpty()) {
        out.add(Violation.of(pdb, Rule.SELECTOR_MISMATCH, "selector " + selector + " matches no pod template"));
      }
    }
  }

  // ---------------------------------------------------------------- pod specs

  private void checkPodSpec(List<Resource> resources, PodTemplate template, List<Violation> out) {
    Resource owner = template.owner();
    JsonNode spec = template.spec();
    String namespace = owner.namespace();
    String serviceAccount = spec.path("serviceAccountName").asText("default");
    if (!serviceAccount.equals("default") && find(resources, "ServiceAccount", namespace, serviceAccount).isEmpty()) {
      out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, "serviceAccountName '" + serviceAccount + "' is not rendered"));
    }
    boolean podNonRoot = spec.path("securityContext").path("runAsNonRoot").asBoolean(false);
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode container : spec.path(list)) {
        String name = list + "[" + container.path("name").asText() + "]";
        checkContainer(resources, owner, namespace, podNonRoot, container, name, out);
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      String where = "volume '" + volume.path("name").asText() + "'";
      if (volume.has("configMap")) {
        JsonNode cm = volume.get("configMap");
        for (String key : itemKeys(cm)) {
          checkConfigMapRef(resources, owner, namespace, cm.path("name").asText(), key, cm, where, out);
        }
      }
      if (volume.has("secret")) {
        JsonNode secret = volume.get("secret");
        for (String key : itemKeys(secret)) {
          checkSecretRef(resources, owner, namespace, secret.path("secretName").asText(), key, secret, where, out);
        }
      }
    }
  }

  private void checkContainer(List<Resource> resources, Resource owner, String namespace, boolean podNonRoot,
      JsonNode container, String name, List<Violation> out) {
    ImageRef image = ImageRef.parse(container.path("image").asText());
    if (container.path("image").asText().isEmpty() || !image.pinned()) {
      out.add(Violation.of(owner, Rule.UNPINNED_IMAGE, name + " image '" + container.path("image").asText()
          + "' has no tag or digest, or is tagged latest"));
    }
    for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
      JsonNode handler = container.path(probe);
      for (String kind : new String[] {"httpGet", "tcpSocket", "grpc"}) {
        JsonNode port = handler.path(kind).path("port");
        if (!port.isMissingNode() && !declaresPort(List.of(container), port)) {
          out.add(Violation.of(owner, Rule.PORT_MISMATCH,
              name + " " + probe + " uses port " + port.asText() + " that the container does not declare"));
        }
      }
    }
    for (JsonNode env : container.path("env")) {
      JsonNode from = env.path("valueFrom");
      String where = name + " env " + env.path("name").asText();
      if (from.has("configMapKeyRef")) {
        JsonNode ref = from.get("configMapKeyRef");
        checkConfigMapRef(resources, owner, namespace, ref.path("name").asText(), ref.path("key").asText(), ref, where, out);
      }
      if (from.has("secretKeyRef")) {
        JsonNode ref = from.get("secretKeyRef");
        checkSecretRef(resources, owner, namespace, ref.path("name").asText(), ref.path("key").asText(), ref, where, out);
      }
    }
    for (JsonNode envFrom : container.path("envFrom")) {
      if (envFrom.has("configMapRef")) {
        JsonNode ref = envFrom.get("configMapRef");
        checkConfigMapRef(resources, owner, namespace, ref.path("name").asText(), null, ref, name + " envFrom", out);
      }
      if (envFrom.has("secretRef")) {
        JsonNode ref = envFrom.get("secretRef");
        checkSecretRef(resources, owner, namespace, ref.path("name").asText(), null, ref, name + " envFrom", out);
      }
    }
    JsonNode resourcesNode = container.path("resources");
    for (String required : new String[] {"requests.cpu", "requests.memory", "limits.memory"}) {
      String[] parts = required.split("\\.");
      if (resourcesNode.path(parts[0]).path(parts[1]).isMissingNode()) {
        out.add(Violation.of(owner, Rule.POLICY, name + " has no resources." + required));
      }
    }
    JsonNode security = container.path("securityContext");
    if (!podNonRoot && !security.path("runAsNonRoot").asBoolean(false)) {
      out.add(Violation.of(owner, Rule.POLICY, name + " may run as root (runAsNonRoot is not true)"));
    }
    if (security.path("allowPrivilegeEscalation").asBoolean(true)) {
      out.add(Violation.of(owner, Rule.POLICY, name + " allows privilege escalation"));
    }
  }

  private void checkConfigMapRef(List<Resource> resources, Resource owner, String namespace, String name, String key,
      JsonNode ref, String where, List<Violation> out) {
    Optional<Resource> rendered = find(resources, "ConfigMap", namespace, name);
    if (rendered.isPresent()) {
      JsonNode body = rendered.get().body();
      if (key != null && !body.path("data").has(key) && !body.path("binaryData").has(key)) {
        out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, where + ": ConfigMap '" + name + "' has no key '" + key + "'"));
      }
      return;
    }
    checkProvided(resources, owner, "ConfigMap", provided.configMap(name), name, key, ref, where, out);
  }

  private void checkSecretRef(List<Resource> resources, Resource owner, String namespace, String name, String key,
      JsonNode ref, String where, List<Violation> out) {
    Optional<Resource> rendered = find(resources, "Secret", namespace, name);
    if (rendered.isPresent()) {
      JsonNode body = rendered.get().body();
      if (key != null && !body.path("data").has(key) && !body.path("stringData").has(key)) {
        out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, where + ": Secret '" + name + "' has no key '" + key + "'"));
      }
      return;
    }
    checkProvided(resources, owner, "Secret", provided.secret(name), name, key, ref, where, out);
  }

  private static void checkProvided(List<Resource> resources, Resource owner, String kind,
      Optional<OperatorProvided.Entry> entry, String name, String key, JsonNode ref, String where, List<Violation> out) {
    if (entry.isEmpty()) {
      if (!ref.path("optional").asBoolean(false)) {
        out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, where + ": " + kind + " '" + name
            + "' is neither rendered nor listed in operator-provided.yaml"));
      }
      return;
    }
    if (key != null && !entry.get().keys().contains(key)) {
      out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, where + ": operator-provided " + kind + " '" + name
          + "' has no key '" + key + "' (keys: " + entry.get().keys() + ")"));
    }
    String producerKind = entry.get().producerKind();
    if (producerKind != null && find(resources, producerKind, owner.namespace(), entry.get().producerName()).isEmpty()) {
      out.add(Violation.of(owner, Rule.DANGLING_REFERENCE, where + ": " + kind + " '" + name + "' is generated from "
          + producerKind + " '" + entry.get().producerName() + "', which is not rendered"));
    }
  }

  // ---------------------------------------------------------------- Kafka

  private void checkTopics(List<Resource> resources, List<Violation> out) {
    Map<String, Resource> topics = topics(resources);
    Resource anchor = null;
    for (Resource resource : resources) {
      if (resource.kind().equals("Kafka")) {
        anchor = resource;
        List<Resource> pools = new ArrayList<>();
        for (Resource pool : resources) {
          if (pool.kind().equals("KafkaNodePool") && Objects.equals(pool.namespace(), resource.namespace())
              && resource.name().equals(label(pool, STRIMZI_CLUSTER_LABEL))) {
            pools.add(pool);
          }
        }
        Set<String> roles = new HashSet<>();
        pools.forEach(p -> p.body().path("spec").path("roles").forEach(r -> roles.add(r.asText())));
        if (!roles.containsAll(Set.of("broker", "controller"))) {
          out.add(Violation.of(resource, Rule.DANGLING_REFERENCE,
              "KRaft needs KafkaNodePools with the broker and controller roles; found roles " + roles));
        }
      }
    }
    for (Resource resource : resources) {
      if (resource.kind().equals("KafkaTopic") || resource.kind().equals("KafkaNodePool")) {
        String cluster = label(resource, STRIMZI_CLUSTER_LABEL);
        if (cluster == null || find(resources, "Kafka", resource.namespace(), cluster).isEmpty()) {
          out.add(Violation.of(resource, Rule.DANGLING_REFERENCE,
              "label " + STRIMZI_CLUSTER_LABEL + "=" + cluster + " names no rendered Kafka"));
        }
      }
    }
    for (String topic : catalog.topics()) {
      Resource declared = topics.get(topic);
      if (declared == null) {
        out.add(new Violation("KafkaTopic/" + topic, anchor == null ? "-" : anchor.origin(), Rule.TOPIC_CATALOG,
            "catalog topic '" + topic + "' has no KafkaTopic"));
      } else if (catalog.compacted().contains(topic)
          && !declared.body().path("spec").path("config").path("cleanup.policy").asText().contains("compact")) {
        out.add(Violation.of(declared, Rule.TOPIC_CATALOG, "topic '" + topic + "' must have cleanup.policy=compact"));
      }
    }
  }

  private void checkScaledObjects(List<Resource> resources, List<Violation> out) {
    Map<String, Resource> topics = topics(resources);
    for (Resource scaled : resources) {
      if (!scaled.kind().equals("ScaledObject")) {
        continue;
      }
      JsonNode spec = scaled.body().path("spec");
      String targetKind = spec.path("scaleTargetRef").path("kind").asText("Deployment");
      String target = spec.path("scaleTargetRef").path("name").asText();
      if (find(resources, targetKind, scaled.namespace(), target).isEmpty()) {
        out.add(Violation.of(scaled, Rule.DANGLING_REFERENCE, "scaleTargetRef " + targetKind + " '" + target + "' is not rendered"));
      }
      for (Resource hpa : resources) {
        if (hpa.kind().equals("HorizontalPodAutoscaler") && Objects.equals(hpa.namespace(), scaled.namespace())
            && target.equals(hpa.body().path("spec").path("scaleTargetRef").path("name").asText())) {
          out.add(Violation.of(hpa, Rule.DANGLING_REFERENCE, "'" + target + "' is already scaled by ScaledObject " + scaled.name()));
        }
      }
      int max = spec.path("maxReplicaCount").asInt(100);
      for (JsonNode trigger : spec.path("triggers")) {
        if (!trigger.path("type").asText().equals("kafka") || !trigger.path("metadata").has("topic")) {
          continue;
        }
        String topic = trigger.get("metadata").get("topic").asText();
        Resource declared = topics.get(topic);
        if (declared == null) {
          out.add(Violation.of(scaled, Rule.TOPIC_CATALOG, "trigger topic '" + topic + "' has no KafkaTopic"));
          continue;
        }
        int partitions = declared.body().path("spec").path("partitions").asInt(0);
        boolean idle = trigger.path("metadata").path("allowIdleConsumers").asText("false").equals("true");
        if (!idle && max > partitions) {
          out.add(Violation.of(scaled, Rule.INVALID_VALUE, "maxReplicaCount " + max + " exceeds the " + partitions
              + " partitions of '" + topic + "': KEDA never scales past them, extra consumers would idle"));
        }
      }
    }
  }

  // ---------------------------------------------------------------- addresses in configuration

  private static void checkAddresses(List<Resource> resources, List<Violation> out) {
    Map<String, Set<Integer>> services = serviceAddresses(resources);
    for (Resource resource : resources) {
      List<String[]> values = new ArrayList<>();
      if (resource.kind().equals("ConfigMap")) {
        Iterator<Map.Entry<String, JsonNode>> data = resource.body().path("data").fields();
        while (data.hasNext()) {
          Map.Entry<String, JsonNode> entry = data.next();
          for (String line : entry.getValue().asText().split("\n")) {
            Matcher property = PROPERTY_LINE.matcher(line.trim());
            values.add(property.matches()
                ? new String[] {entry.getKey() + " " + property.group(1), property.group(2)}
                : new String[] {entry.getKey(), line.trim()});
          }
        }
      } else if (resource.kind().equals("ScaledObject")) {
        for (JsonNode trigger : resource.body().path("spec").path("triggers")) {
          values.add(new String[] {"trigger bootstrapServers", trigger.path("metadata").path("bootstrapServers").asText()});
        }
      }
      for (PodTemplate template : podTemplates(List.of(resource))) {
        for (JsonNode container : template.spec().path("containers")) {
          for (JsonNode env : container.path("env")) {
            values.add(new String[] {"env " + env.path("name").asText(), env.path("value").asText()});
          }
        }
      }
      for (String[] value : values) {
        for (String item : value[1].split(",")) {
          Matcher m = ADDRESS.matcher(item.trim());
          if (!m.matches()) {
            continue;
          }
          String host = m.group(1);
          int port = Integer.parseInt(m.group(5));
          String[] labels = host.split("\\.");
          boolean inCluster = labels.length == 1 || host.endsWith(".svc") || host.endsWith(".svc.cluster.local");
          if (!inCluster) {
            continue;
          }
          String namespace = labels.length == 1 ? resource.namespace() : labels[1];
          Set<Integer> ports = services.get(namespace + "/" + labels[0]);
          if (ports == null) {
            out.add(Violation.of(resource, Rule.UNKNOWN_ADDRESS, value[0] + ": '" + item.trim() + "' names no Service "
                + labels[0] + " in namespace " + namespace));
          } else if (!ports.contains(port)) {
            out.add(Violation.of(resource, Rule.UNKNOWN_ADDRESS, value[0] + ": Service " + labels[0]
                + " does not expose port " + port + " (ports: " + ports + ")"));
          }
        }
      }
    }
  }

  /** namespace/name → ports of rendered Services and of the Services the Strimzi and CloudNativePG operators create. */
  private static Map<String, Set<Integer>> serviceAddresses(List<Resource> resources) {
    Map<String, Set<Integer>> services = new HashMap<>();
    for (Resource resource : resources) {
      String ns = resource.namespace();
      if (resource.kind().equals("Service")) {
        Set<Integer> ports = new HashSet<>();
        resource.body().path("spec").path("ports").forEach(p -> ports.add(p.path("port").asInt()));
        services.put(ns + "/" + resource.name(), ports);
      } else if (resource.kind().equals("Kafka")) {
        Set<Integer> ports = new HashSet<>();
        resource.body().path("spec").path("kafka").path("listeners").forEach(l -> ports.add(l.path("port").asInt()));
        services.put(ns + "/" + resource.name() + "-kafka-bootstrap", ports);
        services.put(ns + "/" + resource.name() + "-kafka-brokers", ports);
      } else if (resource.kind().equals("Cluster") && resource.apiVersion().startsWith("postgresql.cnpg.io/")) {
        for (String suffix : new String[] {"-rw", "-ro", "-r"}) {
          services.put(ns + "/" + resource.name() + suffix, Set.of(5432));
        }
      }
    }
    return services;
  }

  // ---------------------------------------------------------------- helpers

  private static List<PodTemplate> podTemplates(List<Resource> resources) {
    List<PodTemplate> templates = new ArrayList<>();
    for (Resource resource : resources) {
      JsonNode template;
      if (POD_WORKLOADS.contains(resource.kind())) {
        template = resource.body().path("spec").path("template");
      } else if (resource.kind().equals("CronJob")) {
        template = resource.body().path("spec").path("jobTemplate").path("spec").path("template");
      } else {
        continue;
      }
      templates.add(new PodTemplate(resource, strings(template.path("metadata").path("labels")), template.path("spec")));
    }
    return templates;
  }

  private static List<PodTemplate> select(List<PodTemplate> templates, String namespace, Map<String, String> selector) {
    List<PodTemplate> selected = new ArrayList<>();
    for (PodTemplate template : templates) {
      if (Objects.equals(template.owner().namespace(), namespace) && matches(selector, template.labels())) {
        selected.add(template);
      }
    }
    return selected;
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return labels.entrySet().containsAll(selector.entrySet());
  }

  private static boolean declaresPort(Iterable<JsonNode> containers, JsonNode port) {
    for (JsonNode container : containers) {
      for (JsonNode declared : container.path("ports")) {
        if (port.isTextual() && !port.asText().chars().allMatch(Character::isDigit)
            ? port.asText().equals(declared.path("name").asText())
            : port.asInt() == declared.path("containerPort").asInt()) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> itemKeys(JsonNode source) {
    List<String> keys = new ArrayList<>();
    source.path("items").forEach(item -> keys.add(item.path("key").asText()));
    if (keys.isEmpty()) {
      keys.add(null);
    }
    return keys;
  }

  private static Map<String, Resource> topics(List<Resource> resources) {
    Map<String, Resource> topics = new HashMap<>();
    for (Resource resource : resources) {
      if (resource.kind().equals("KafkaTopic")) {
        JsonNode topicName = resource.body().path("spec").path("topicName");
        topics.put(topicName.isTextual() ? topicName.asText() : resource.name(), resource);
      }
    }
    return topics;
  }

  private static Optional<Resource> find(List<Resource> resources, String kind, String namespace, String name) {
    for (Resource resource : resources) {
      if (resource.kind().equals(kind) && resource.name().equals(name)
          && (Scope.isClusterScoped(kind) || Objects.equals(resource.namespace(), namespace))) {
        return Optional.of(resource);
      }
    }
    return Optional.empty();
  }

  private static String label(Resource resource, String key) {
    JsonNode value = resource.body().path("metadata").path("labels").path(key);
    return value.isTextual() ? value.asText() : null;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> map = new HashMap<>();
    if (node instanceof ObjectNode object) {
      object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }
}
