package io.edgefleet.agent.slots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.events.BuildKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotManagerTest {
  @TempDir Path dir;
  private SlotManager slots;

  @BeforeEach
  void create() {
    slots = new SlotManager(dir.resolve("slots"), Clock.systemUTC());
  }

  private SlotManifest stage(String buildKey, byte[] model) throws IOException {
    Path artifact = dir.resolve(buildKey + ".tflite");
    Files.write(artifact, model);
    return slots.stage(artifact, new byte[] {1, 2}, null, buildKey, "r-1", BuildKeys.sha256Hex(model), 0.02);
  }

  @Test
  void shouldStageIntoSlotAAndSwitchActiveJsonAtomically() throws IOException {
    assertThat(slots.active()).isEmpty();
    assertThat(slots.inactiveSlot()).isEqualTo("a");

    SlotManifest staged = stage("build-1", new byte[] {10, 20, 30});
    assertThat(staged.slot()).isEqualTo("a");
    assertThat(slots.active()).as("staging alone never activates").isEmpty();

    ActiveState state = slots.activate(staged);

    assertThat(state.active().buildKey()).isEqualTo("build-1");
    assertThat(state.previous()).isNull();
    assertThat(slots.active()).contains(state);
    assertThat(Files.readAllBytes(slots.modelFile(staged))).containsExactly(10, 20, 30);
    assertThat(slots.evalFile(staged)).exists();
    try (Stream<Path> files = Files.list(dir.resolve("slots"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "b", "active.json");
    }
  }

  @Test
  void shouldInstallTheNextBuildIntoTheOtherSlotAndKeepThePrevious() throws IOException {
    slots.activate(stage("build-1", new byte[] {1}));
    SlotManifest second = stage("build-2", new byte[] {2});

    assertThat(second.slot()).isEqualTo("b");
    assertThat(slots.active().orElseThrow().active().buildKey()).as("still the old build until the switch").isEqualTo("build-1");

    ActiveState state = slots.activate(second);

    assertThat(state.active().slot()).isEqualTo("b");
    assertThat(state.previous().buildKey()).isEqualTo("build-1");
    assertThat(Files.readAllBytes(slots.slotDir("a").resolve(SlotManager.MODEL_FILE))).containsExactly(1);
    assertThat(slots.inactiveSlot()).isEqualTo("a");
  }

  @Test
  void shouldRollBackToAnIntactPreviousSlot() throws IOException {
    slots.activate(stage("build-1", new byte[] {1}));
    slots.activate(stage("build-2", new byte[] {2}));

    ActiveState rolledBack = slots.rollback().orElseThrow();

    assertThat(rolledBack.active().buildKey()).isEqualTo("build-1");
    assertThat(rolledBack.previous().buildKey()).isEqualTo("build-2");
    assertThat(slots.active().orElseThrow().active().slot()).isEqualTo("a");
  }

  @Test
  void shouldRecordHealthConfirmationOfTheActiveBuildOnly() throws IOException {
    slots.activate(stage("build-1", new byte[] {1}));
    assertThat(slots.active().orElseThrow().healthConfirmed()).as("a fresh switch is being watched").isFalse();

    assertThat(slots.confirmHealthy("build-other")).isFalse();
    assertThat(slots.active().orElseThrow().healthConfirmed()).isFalse();
    assertThat(slots.confirmHealthy("build-1")).isTrue();
    assertThat(slots.active().orElseThrow().healthConfirmedAt()).isNotNull();

    slots.activate(stage("build-2", new byte[] {2}));
    assertThat(slots.active().orElseThrow().healthConfirmed()).isFalse();
    assertThat(slots.rollback().orElseThrow().healthConfirmed()).as("the previous build is the known-good one").isTrue();
  }

  @Test
  void shouldNotRollBackToAPreviousSlotThatWasOverwrittenOrDamaged() throws IOException {
    slots.activate(stage("build-1", new byte[] {1}));
    slots.activate(stage("build-2", new byte[] {2}));
    Files.write(slots.slotDir("a").resolve(SlotManager.MODEL_FILE), new byte[] {9});

    assertThat(slots.rollback()).isEmpty();
    assertThat(slots.active().orElseThrow().active().buildKey()).isEqualTo("build-2");
  }

  @Test
  void shouldRefuseToActivateASlotWhoseFilesDoNotMatchTheManifest() throws IOException {
    SlotManifest staged = stage("build-1", new byte[] {1, 2, 3});
    Files.write(slots.modelFile(staged), new byte[] {1, 2, 4});

    assertThatThrownBy(() -> slots.activate(staged)).isInstanceOf(AgentException.class).hasMessageContaining("sha256");
    assertThat(slots.active()).isEmpty();
  }

  @Test
  void shouldSurviveAnInterruptedSwitchLeavingATempFile() throws IOException {
    ActiveState first = slots.activate(stage("build-1", new byte[] {1}));
    // a crash after the temp file was written but before the rename
    Files.writeString(dir.resolve("slots").resolve("active.json.tmp"), "{\"half\":");

    assertThat(slots.active()).contains(first);
    SlotManifest second = stage("build-2", new byte[] {2});
    assertThat(slots.activate(second).active().buildKey()).isEqualTo("build-2");
    assertThat(dir.resolve("slots").resolve("active.json.tmp")).doesNotExist();
  }
}
