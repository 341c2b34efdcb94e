package io.edgefleet.fleetctl.rollouts;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.FleetctlException;
import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import io.edgefleet.fleetctl.client.FleetClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;

/** Polls a rollout and prints one progress line whenever its state or counts change. */
public final class RolloutWatcher {
  private final FleetClient client;
  private final Duration interval;
  private final Duration timeout;
  private final boolean followPauses;

  public RolloutWatcher(FleetClient client, Duration interval, Duration timeout, boolean followPauses) {
    this.client = Objects.requireNonNull(client, "client");
    if (interval.isNegative() || interval.isZero()) {
      throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "--interval must be positive");
    }
    this.interval = interval;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.followPauses = followPauses;
  }

  /** Returns the last view once the rollout is FINISHED, STOPPED, ROLLED_BACK, or PAUSED (unless following pauses). */
  public JsonNode watch(String rolloutId, PrintWriter out) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastLine = null;
    while (true) {
      JsonNode r = client.get("/api/rollouts/" + rolloutId);
      String line = RolloutText.progressLine(r);
      if (!line.equals(lastLine)) {
        out.println(line);
        out.flush();
        lastLine = line;
      }
      String status = r.path("status").asText();
      boolean terminal = status.equals("FINISHED") || status.equals("STOPPED") || status.equals("ROLLED_BACK");
      if (terminal || (status.equals("PAUSED") && !followPauses)) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new FleetctlException(ErrorCode.TIMEOUT, "rollout " + rolloutId + " still " + status + " after " + timeout);
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FleetctlException(ErrorCode.TIMEOUT, "interrupted while watching rollout " + rolloutId, e);
      }
    }
  }
}
