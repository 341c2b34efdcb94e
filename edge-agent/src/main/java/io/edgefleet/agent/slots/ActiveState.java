package io.edgefleet.agent.slots;

import java.time.Instant;
import java.util.Objects;

/**
 * Content of {@code slots/active.json}: the slot being served and the one it replaced (kept for rollback).
 *
 * @param previous the slot active before the last switch, null on the first install
 * @param healthConfirmedAt when the active build passed its post-activation health window; null while it is being
 *     watched (a restart resumes the watch) or when written by an agent without health checks
 */
public record ActiveState(SlotManifest active, SlotManifest previous, Instant switchedAt, Instant healthConfirmedAt) {
  public ActiveState {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(switchedAt, "switchedAt");
  }

  public boolean healthConfirmed() {
    return healthConfirmedAt != null;
  }
}
