package io.edgefleet.agent.slots;

import java.time.Instant;
import java.util.Objects;

/**
 * Content of {@code slots/active.json}: the slot being served and the one it replaced (kept for rollback).
 *
 * @param previous the slot active before the last switch, null on the first install
 */
public record ActiveState(SlotManifest active, SlotManifest previous, Instant switchedAt) {
  public ActiveState {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(switchedAt, "switchedAt");
  }
}
