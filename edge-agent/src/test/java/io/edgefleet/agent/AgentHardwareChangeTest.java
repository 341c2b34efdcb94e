package io.edgefleet.agent;

import static io.edgefleet.agent.testing.OfflineAgentSetup.cpuinfoResource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.agent.config.AgentConfig;
import io.edgefleet.agent.hardware.HardwareIntrospector;
import io.edgefleet.agent.hardware.RegisteredProfile;
import io.edgefleet.agent.testing.ControlPlaneStub;
import io.edgefleet.agent.testing.OfflineAgentSetup;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-registration when the introspected host changes, against a proc-like directory the test edits. */
class AgentHardwareChangeTest {
  @TempDir Path dir;
  private ControlPlaneStub controlPlane;
  private Path proc;
  private AgentConfig config;

  @BeforeEach
  void setUp() throws IOException {
    controlPlane = new ControlPlaneStub();
    proc = OfflineAgentSetup.fakeProc(dir);
    Map<String, String> keys = OfflineAgentSetup.offlineConfig(dir, "dev-hw", controlPlane.url());
    keys.put("hardware.check-interval", "200ms");
    config = AgentConfig.fromMap(keys);
  }

  @AfterEach
  void tearDown() {
    controlPlane.close();
  }

  @Test
  void shouldRegisterAgainWhenTheHostChangesAndOnlyThen() throws Exception {
    HardwareIntrospector introspector = new HardwareIntrospector(proc);
    // counted by content, not by number: on a loaded machine a timed-out registration is legitimately retried
    try (Agent agent = Agent.start(config, Clock.systemUTC(), introspector)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !controlPlane.registrations().isEmpty());
      HardwareProfile initial = controlPlane.registrations().get(0).hardware();
      // free storage changes all the time and is not a reason to register again
      Files.write(dir.resolve("agent").resolve("filler"), new byte[1 << 20]);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
          .until(() -> controlPlane.registrations().stream().allMatch(r -> r.hardware().equals(initial)));

      // 8 GB -> 16 GB of RAM, one CPU flag more: a different hardware class. Each file is replaced atomically, but
      // the agent may look between the two replacements and legitimately register the half-changed host first.
      replace(proc.resolve("meminfo"), cpuinfoResource("meminfo.txt")
          .replace("MemTotal:        8029660 kB", "MemTotal:       16059320 kB"));
      replace(proc.resolve("cpuinfo"), cpuinfoResource("x86_64.txt").replace("flags\t\t: ", "flags\t\t: avx512f "));
      await().atMost(Duration.ofSeconds(20))
          .until(() -> controlPlane.registrations().stream().anyMatch(AgentHardwareChangeTest::fullyChanged));
      List<DeviceRegistration> seen = controlPlane.registrations();
      int first = seen.indexOf(seen.stream().filter(AgentHardwareChangeTest::fullyChanged).findFirst().orElseThrow());
      DeviceRegistration changed = seen.get(first);
      assertThat(changed.hardware().ramBytes()).isNotEqualTo(initial.ramBytes());
      assertThat(HardwareClass.of(changed.hardware())).isNotEqualTo(HardwareClass.of(initial));
      assertThat(agent.hardwareClass()).isEqualTo(HardwareClass.of(changed.hardware()));
      assertThat(agent.status().hardwareClass()).isEqualTo(HardwareClass.of(changed.hardware()));
      // registered for the change, not again at every check
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
        List<DeviceRegistration> now = controlPlane.registrations();
        return now.subList(first, now.size()).stream().allMatch(r -> r.hardware().equals(changed.hardware()));
      });
    }

    DeviceRegistration last = controlPlane.registrations().get(controlPlane.registrations().size() - 1);
    assertThat(last.hardware()).isNotEqualTo(controlPlane.registrations().get(0).hardware());
    RegisteredProfile persisted = RegisteredProfile.load(dir.resolve("agent").resolve("registration.json")).orElseThrow();
    assertThat(persisted.fingerprint()).isEqualTo(RegisteredProfile.fingerprint(last.hardware(), last.agentVersion()));
    assertThat(persisted.hardwareClass()).isEqualTo(HardwareClass.of(last.hardware()));
  }

  private static boolean fullyChanged(DeviceRegistration r) {
    return r.hardware().ramBytes() == 16059320L * 1024 && r.hardware().cpuFeatures().contains("avx512f");
  }

  /** Replaces {@code file} in one step, so that the agent never reads it half-written. */
  private static void replace(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
