package io.edgefleet.agent.hardware;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import java.util.Locale;

/** Parses {@code /proc/meminfo}. */
public final class MemInfo {
  private MemInfo() {}

  /**
   * {@code MemTotal} in bytes.
   *
   * @throws AgentException {@link AgentErrorCode#HARDWARE_INTROSPECTION_FAILED} if the field is missing or malformed
   */
  public static long totalBytes(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          String unit = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "b";
          switch (unit) {
            case "kb":
              return value * 1024L;
            case "mb":
              return value * 1024L * 1024L;
            case "b":
              return value;
            default:
              throw new AgentException(
                  AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "unknown MemTotal unit '" + parts[1] + "'");
          }
        } catch (NumberFormatException e) {
          throw new AgentException(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "malformed MemTotal line: " + line, e);
        }
      }
    }
    throw new AgentException(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "no MemTotal line in meminfo");
  }
}
