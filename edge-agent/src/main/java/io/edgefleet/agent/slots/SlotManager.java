package io.edgefleet.agent.slots;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.CrashPoint;
import io.edgefleet.agent.DurableFiles;
import io.edgefleet.agent.download.ArtifactDownloader;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Two model slots ({@code slots/a}, {@code slots/b}) and the pointer {@code slots/active.json}.
 *
 * <p>A new build is always staged into the slot that is not active, so the model being served is never touched. The
 * switch is a single atomic rename of a fully written and fsynced {@code active.json.tmp} over {@code active.json}
 * (followed by an fsync of the directory): after a crash at any point, {@code active.json} names either the old or the
 * new slot, both complete. A staged slot whose smoke test failed simply never becomes active.
 */
public final class SlotManager {
  public static final List<String> SLOTS = List.of("a", "b");
  public static final String MODEL_FILE = "model.tflite";
  public static final String EVAL_FILE = "eval.efs";
  public static final String REFERENCE_FILE = "reference.efs";
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String ACTIVE_FILE = "active.json";

  private final Path root;
  private final Clock clock;
  private final ObjectMapper mapper = EventCodec.mapper();

  public SlotManager(Path root, Clock clock) {
    this.root = Objects.requireNonNull(root);
    this.clock = Objects.requireNonNull(clock);
    try {
      for (String s : SLOTS) {
        Files.createDirectories(root.resolve(s));
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot create slot directories under " + root + ": " + e, e);
    }
  }

  public Path root() {
    return root;
  }

  public Path slotDir(String slot) {
    return root.resolve(slot);
  }

  public Path modelFile(SlotManifest m) {
    return slotDir(m.slot()).resolve(MODEL_FILE);
  }

  public Path evalFile(SlotManifest m) {
    return slotDir(m.slot()).resolve(EVAL_FILE);
  }

  public Path referenceFile(SlotManifest m) {
    return slotDir(m.slot()).resolve(REFERENCE_FILE);
  }

  /** The current {@code active.json}, empty before the first install. */
  public Optional<ActiveState> active() {
    Path file = root.resolve(ACTIVE_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(mapper.readValue(file.toFile(), ActiveState.class));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "unreadable " + file + ": " + e.getMessage(), e);
    }
  }

  /** The slot a new build goes to: the one not active ({@code a} before the first install). */
  public String inactiveSlot() {
    return active().map(s -> s.active().slot().equals("a") ? "b" : "a").orElse("a");
  }

  /**
   * Copies a verified artifact and its evaluation material into the inactive slot, fsyncs everything and writes the
   * slot manifest last.
   *
   * @param evalSet {@code .efs} bytes, may be null
   * @param reference {@code .efs} bytes, may be null
   */
  public SlotManifest stage(
      Path artifact,
      byte[] evalSet,
      byte[] reference,
      String buildKey,
      String rolloutId,
      String artifactSha256,
      double maxAccuracyDrop) {
    String slot = inactiveSlot();
    Path dir = slotDir(slot);
    try {
      clear(dir);
      Path model = dir.resolve(MODEL_FILE);
      Files.copy(artifact, model, StandardCopyOption.REPLACE_EXISTING);
      DurableFiles.fsync(model);
      CrashPoint.STAGE_MODEL_COPIED.reached();
      if (evalSet != null) {
        DurableFiles.write(dir.resolve(EVAL_FILE), evalSet);
      }
      if (reference != null) {
        DurableFiles.write(dir.resolve(REFERENCE_FILE), reference);
      }
      SlotManifest manifest =
          new SlotManifest(
              slot, buildKey, rolloutId, artifactSha256, Files.size(model), evalSet != null, reference != null,
              maxAccuracyDrop, clock.instant());
      DurableFiles.writeAtomically(dir.resolve(MANIFEST_FILE), mapper.writeValueAsBytes(manifest));
      return manifest;
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot stage build " + buildKey + " into slot " + slot + ": " + e, e);
    }
  }

  /**
   * Makes a staged slot active; the formerly active slot becomes {@code previous}.
   *
   * @throws AgentException {@link AgentErrorCode#SLOT_IO_FAILED} if the slot does not hold what the manifest says
   */
  public ActiveState activate(SlotManifest staged) {
    verify(staged);
    Optional<ActiveState> current = active();
    if (current.isPresent() && current.get().active().slot().equals(staged.slot())) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "slot " + staged.slot() + " is already the active slot");
    }
    ActiveState next = new ActiveState(staged, current.map(ActiveState::active).orElse(null), clock.instant(), null);
    CrashPoint.SWITCH_BEFORE.reached();
    try {
      DurableFiles.writeAtomically(
          root.resolve(ACTIVE_FILE), mapper.writeValueAsBytes(next), CrashPoint.SWITCH_TMP_WRITTEN::reached);
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot write " + ACTIVE_FILE + ": " + e, e);
    }
    CrashPoint.SWITCH_AFTER.reached();
    return next;
  }

  /**
   * Switches back to the previous slot if it is still intact (its manifest and model unchanged).
   *
   * @return the new state, empty if there is no intact previous slot
   */
  public Optional<ActiveState> rollback() {
    Optional<ActiveState> current = active();
    if (current.isEmpty() || current.get().previous() == null) {
      return Optional.empty();
    }
    SlotManifest previous = current.get().previous();
    if (!intact(previous)) {
      return Optional.empty();
    }
    // the previous build served before this switch: it is the known-good one, no new health window
    Instant now = clock.instant();
    ActiveState next = new ActiveState(previous, current.get().active(), now, now);
    write(next);
    return Optional.of(next);
  }

  /**
   * Records that the active build passed its health window.
   *
   * @return false if {@code buildKey} is not the active build any more (nothing written)
   */
  public boolean confirmHealthy(String buildKey) {
    Optional<ActiveState> current = active();
    if (current.isEmpty() || !current.get().active().buildKey().equals(buildKey)) {
      return false;
    }
    if (!current.get().healthConfirmed()) {
      ActiveState s = current.get();
      write(new ActiveState(s.active(), s.previous(), s.switchedAt(), clock.instant()));
    }
    return true;
  }

  private void write(ActiveState state) {
    try {
      DurableFiles.writeAtomically(root.resolve(ACTIVE_FILE), mapper.writeValueAsBytes(state));
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot write " + ACTIVE_FILE + ": " + e, e);
    }
  }

  /** Whether the slot's files still match the manifest (manifest.json equal, model sha256 and size equal). */
  public boolean intact(SlotManifest m) {
    try {
      verify(m);
      return true;
    } catch (AgentException e) {
      return false;
    }
  }

  private void verify(SlotManifest m) {
    Path dir = slotDir(m.slot());
    Path manifestFile = dir.resolve(MANIFEST_FILE);
    try {
      if (!Files.exists(manifestFile)) {
        throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "slot " + m.slot() + " has no manifest");
      }
      SlotManifest onDisk = mapper.readValue(manifestFile.toFile(), SlotManifest.class);
      if (!onDisk.buildKey().equals(m.buildKey()) || !onDisk.artifactSha256().equals(m.artifactSha256())) {
        throw new AgentException(
            AgentErrorCode.SLOT_IO_FAILED, "slot " + m.slot() + " now holds build " + onDisk.buildKey() + ", not " + m.buildKey());
      }
      Path model = dir.resolve(MODEL_FILE);
      if (!Files.exists(model) || Files.size(model) != m.sizeBytes()) {
        throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "slot " + m.slot() + " model file is missing or has the wrong size");
      }
      String sha = ArtifactDownloader.sha256(model);
      if (!sha.equals(m.artifactSha256())) {
        throw new AgentException(
            AgentErrorCode.SLOT_IO_FAILED, "slot " + m.slot() + " model sha256 is " + sha + ", expected " + m.artifactSha256());
      }
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot verify slot " + m.slot() + ": " + e, e);
    }
  }

  private static void clear(Path dir) throws IOException {
    // the manifest goes first, so a crash mid-clear never leaves a manifest describing missing files
    Files.deleteIfExists(dir.resolve(MANIFEST_FILE));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Files.delete(f);
      }
    }
  }
}
