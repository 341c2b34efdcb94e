package io.edgefleet.agent.slots;

import java.time.Instant;
import java.util.Objects;

/**
 * What one A/B slot holds, written as {@code slots/<slot>/manifest.json} when a build is staged and copied into
 * {@code active.json} when the slot becomes active.
 *
 * @param slot {@code a} or {@code b}
 * @param artifactSha256 sha256 of {@code model.tflite}, re-checked before a slot is served after a restart
 * @param hasEvalSet whether {@code eval.efs} is present
 * @param hasReference whether {@code reference.efs} is present
 */
public record SlotManifest(
    String slot,
    String buildKey,
    String rolloutId,
    String artifactSha256,
    long sizeBytes,
    boolean hasEvalSet,
    boolean hasReference,
    double maxAccuracyDrop,
    Instant stagedAt) {

  public SlotManifest {
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(buildKey, "buildKey");
    Objects.requireNonNull(artifactSha256, "artifactSha256");
    if (!SlotManager.SLOTS.contains(slot)) {
      throw new IllegalArgumentException("slot must be one of " + SlotManager.SLOTS + ", got " + slot);
    }
  }
}
