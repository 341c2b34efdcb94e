package io.edgefleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.agent.config.ConfigKey;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.worker.config.Setting;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The configuration the manifests hand to each service uses names that service reads: a misspelt environment
 * variable or properties key is silently ignored at run time, so it is caught here. Sources of truth: the worker's
 * {@link Setting} enum, the agent's {@link ConfigKey} enum and the control plane's {@code application.properties}.
 */
class ServiceConfigAlignmentTest {

  private final java.util.List<Resource> prod = K8sTree.render(K8sTree.root(), "overlays/prod");

  @Test
  void shouldGiveTheControlPlaneOnlyKeysItDeclaresAndEveryRequiredOne() throws IOException {
    Properties declared = new Properties();
    Path file = Path.of(System.getProperty("edgefleet.control-plane.properties",
        "../control-plane/src/main/resources/application.properties"));
    try (Reader reader = Files.newBufferedReader(file)) {
      declared.load(reader);
    }
    Set<String> known = declared.stringPropertyNames().stream()
        .filter(k -> !k.startsWith("%"))
        .map(ServiceConfigAlignmentTest::quarkusEnvName)
        .collect(Collectors.toSet());

    Map<String, String> env = containerEnv("Deployment", "control-plane");
    env.remove("JAVA_TOOL_OPTIONS");

    assertThat(known).containsAll(env.keySet());
    assertThat(env).containsKeys(
        "KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
        "QUARKUS_DATASOURCE_PASSWORD", "EDGEFLEET_S3_ENDPOINT", "EDGEFLEET_S3_ACCESS_KEY", "EDGEFLEET_S3_SECRET_KEY");
  }

  @Test
  void shouldGiveTheWorkerOnlyItsSettingsAndEveryRequiredOne() {
    Set<String> known = Arrays.stream(Setting.values()).map(Setting::environmentVariable).collect(Collectors.toSet());
    Set<String> required = Arrays.stream(Setting.values())
        .filter(s -> s.defaultValue() == null)
        .map(Setting::environmentVariable)
        .collect(Collectors.toSet());

    Map<String, String> env = containerEnv("Deployment", "quantizer-worker");
    env.remove("JAVA_TOOL_OPTIONS");

    assertThat(known).containsAll(env.keySet());
    assertThat(env.keySet()).containsAll(required);
    JsonNode volumeMounts = container("Deployment", "quantizer-worker").path("volumeMounts");
    for (String keyPath : new String[] {"WORKER_SIGNING_PRIVATE_KEY", "WORKER_SIGNING_PUBLIC_KEY"}) {
      assertThat(mountedUnder(volumeMounts, env.get(keyPath))).as(keyPath + " is on a mounted volume").isTrue();
    }
  }

  @Test
  void shouldGiveTheAgentOnlyItsKeysAndEveryRequiredOne() throws IOException {
    Set<String> known = Arrays.stream(ConfigKey.values()).map(ConfigKey::key).collect(Collectors.toSet());
    Properties file = new Properties();
    JsonNode configMap = K8sTree.find(prod, "ConfigMap", "edge-agent-config").body();
    file.load(new StringReader(configMap.at("/data/agent.properties").asText()));
    Map<String, String> env = containerEnv("DaemonSet", "edge-agent");
    env.remove("JAVA_TOOL_OPTIONS");

    assertThat(file.stringPropertyNames()).allSatisfy(key -> assertThat(
        known.contains(key) || key.startsWith(ConfigKey.ATTRIBUTES_PREFIX) || key.startsWith(ConfigKey.KAFKA_PRODUCER_PREFIX))
        .as(key).isTrue());
    Set<String> envNames = known.stream().map(ConfigKey::envName).collect(Collectors.toSet());
    assertThat(envNames).containsAll(env.keySet());

    Set<String> provided = new java.util.HashSet<>(file.stringPropertyNames());
    known.stream().filter(k -> env.containsKey(ConfigKey.envName(k))).forEach(provided::add);
    for (ConfigKey key : new ConfigKey[] {ConfigKey.DEVICE_ID, ConfigKey.CONTROL_PLANE_URL, ConfigKey.KAFKA_BOOTSTRAP_SERVERS,
        ConfigKey.DATA_DIR, ConfigKey.TRUST_PUBLIC_KEYS}) {
      assertThat(provided).as("required agent key").contains(key.key());
    }

    JsonNode agent = container("DaemonSet", "edge-agent");
    assertThat(agent.path("args").toString()).contains("/etc/edgefleet/agent/agent.properties");
    assertThat(mountedUnder(agent.path("volumeMounts"), "/etc/edgefleet/agent/agent.properties")).isTrue();
    assertThat(mountedUnder(agent.path("volumeMounts"), file.getProperty("data-dir") + "/x")).isTrue();
    for (String keyPath : file.getProperty("trust.public-keys").split(",")) {
      assertThat(mountedUnder(agent.path("volumeMounts"), keyPath.trim())).as(keyPath).isTrue();
    }
  }

  /** Quarkus environment name of a property: upper case, every non-alphanumeric character becomes '_'. */
  private static String quarkusEnvName(String property) {
    return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private JsonNode container(String kind, String name) {
    return K8sTree.find(prod, kind, name).body().at("/spec/template/spec/containers/0");
  }

  /** env entries plus every key of each envFrom ConfigMap. */
  private Map<String, String> containerEnv(String kind, String name) {
    JsonNode container = container(kind, name);
    Map<String, String> env = new HashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      JsonNode data = K8sTree.find(prod, "ConfigMap", from.at("/configMapRef/name").asText()).body().path("data");
      data.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    for (JsonNode entry : container.path("env")) {
      env.put(entry.path("name").asText(), Objects.toString(entry.path("value").asText(null), "<ref>"));
    }
    return env;
  }

  private static boolean mountedUnder(JsonNode volumeMounts, String path) {
    for (JsonNode mount : volumeMounts) {
      if (path != null && path.startsWith(mount.path("mountPath").asText() + "/")) {
        return true;
      }
    }
    return false;
  }
}
