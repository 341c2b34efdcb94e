package io.edgefleet.agent.testing;

import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Set-up shared by the tests that run a whole agent in-process against {@link ControlPlaneStub} with Kafka unreachable
 * on purpose: the base configuration keys, the trusted platform key file and a proc-like directory for the hardware
 * introspector.
 */
public final class OfflineAgentSetup {
  private OfflineAgentSetup() {}

  /**
   * The configuration keys every offline agent test sets, in a mutable map the test extends: Kafka points at a closed
   * port and the producer fails sends fast so that {@code close()} does not wait for them.
   */
  public static Map<String, String> offlineConfig(String deviceId, String controlPlaneUrl, Path dataDir, Path trustedKey) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("device.id", deviceId);
    keys.put("control-plane.url", controlPlaneUrl);
    keys.put("kafka.bootstrap-servers", "127.0.0.1:1");
    keys.put("kafka.producer.max.block.ms", "200");
    keys.put("kafka.producer.request.timeout.ms", "500");
    keys.put("kafka.producer.delivery.timeout.ms", "1000");
    keys.put("data-dir", dataDir.toString());
    keys.put("trust.public-keys", trustedKey.toString());
    return keys;
  }

  /**
   * {@link #offlineConfig(String, String, Path, Path)} for an agent that installs nothing: data in {@code dir/agent},
   * a freshly generated trusted key written to {@code dir}.
   */
  public static Map<String, String> offlineConfig(Path dir, String deviceId, String controlPlaneUrl) throws IOException {
    Path trustedKey = writeTrustedKey(dir, ArtifactSignatures.generateKeyPair().getPublic());
    return offlineConfig(deviceId, controlPlaneUrl, dir.resolve("agent"), trustedKey);
  }

  /** Writes {@code key} as {@code dir/platform.pub.pem} and returns that path. */
  public static Path writeTrustedKey(Path dir, PublicKey key) throws IOException {
    Path file = dir.resolve("platform.pub.pem");
    Files.writeString(file, ArtifactSignatures.toPem(key));
    return file;
  }

  /** Creates {@code dir/proc} with the x86-64 {@code cpuinfo} and the 8 GB {@code meminfo} test resources. */
  public static Path fakeProc(Path dir) throws IOException {
    Path proc = Files.createDirectories(dir.resolve("proc"));
    Files.writeString(proc.resolve("cpuinfo"), cpuinfoResource("x86_64.txt"));
    Files.writeString(proc.resolve("meminfo"), cpuinfoResource("meminfo.txt"));
    return proc;
  }

  /** A test resource of {@code /cpuinfo/}, as text. */
  public static String cpuinfoResource(String name) throws IOException {
    try (InputStream in = OfflineAgentSetup.class.getResourceAsStream("/cpuinfo/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
