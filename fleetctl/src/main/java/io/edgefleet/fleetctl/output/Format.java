package io.edgefleet.fleetctl.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.client.FleetClient;
import java.util.Locale;

/** How results are printed, plus the small value formatters every command uses. */
public enum Format {
  /** Aligned text tables for people. */
  TABLE,
  /** The control plane's JSON, pretty-printed, for scripts. */
  JSON;

  public static String json(JsonNode node) {
    try {
      return FleetClient.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree must serialise", e);
    }
  }

  /** A field as text, {@code -} when absent or null. */
  public static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }

  /** Bytes with a binary-free decimal unit, e.g. {@code 208.3 KB}. */
  public static String bytes(long bytes) {
    if (bytes < 1_000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    }
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }

  /** Microseconds, e.g. {@code 812 µs} or {@code 2.31 ms}; {@code -} when negative or NaN. */
  public static String micros(double micros) {
    if (Double.isNaN(micros) || micros < 0) {
      return "-";
    }
    return micros < 10_000 ? String.format(Locale.ROOT, "%.0f µs", micros)
        : String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
  }

  /** A fraction as a percentage with {@code digits} decimals. */
  public static String percent(double fraction, int digits) {
    if (Double.isNaN(fraction)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + digits + "f%%", fraction * 100);
  }
}
