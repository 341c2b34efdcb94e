package io.edgefleet.agent.health;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Builds this device rolled back after a failed health window, persisted ({@code <rolloutId> <buildKey>} per line) so
 * that a restart does not install them again while the control plane still assigns them. A new rollout of the same
 * build is installed again (the operator asked for it explicitly).
 */
public final class RejectedBuilds {
  private final Path file;
  private final Set<String> entries = new LinkedHashSet<>();

  public RejectedBuilds(Path file) {
    this.file = Objects.requireNonNull(file);
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            entries.add(line.strip());
          }
        }
      } catch (IOException e) {
        throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot read " + file + ": " + e, e);
      }
    }
  }

  public synchronized boolean contains(String rolloutId, String buildKey) {
    return entries.contains(entry(rolloutId, buildKey));
  }

  public synchronized void add(String rolloutId, String buildKey) {
    if (entries.add(entry(rolloutId, buildKey))) {
      try {
        DurableFiles.writeAtomically(file, (String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AgentException(AgentErrorCode.SLOT_IO_FAILED, "cannot write " + file + ": " + e, e);
      }
    }
  }

  private static String entry(String rolloutId, String buildKey) {
    return (rolloutId == null ? "-" : rolloutId) + " " + Objects.requireNonNull(buildKey);
  }
}
