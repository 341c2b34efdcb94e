package io.edgefleet.fleetctl;

import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the unit-suffixed values of the command line: durations ({@code 2s}, {@code 10m}) and latencies. */
public final class Values {
  private static final Pattern AMOUNT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s|m|h)");

  private Values() {}

  /** {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}, or an ISO-8601 duration ({@code PT30S}). */
  public static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("pt") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "not a duration: '" + text + "'", e);
      }
    }
    double micros = micros(text);
    return Duration.ofNanos(Math.round(micros * 1_000));
  }

  /** A latency in microseconds: {@code 800us}, {@code 800µs}, {@code 2ms}, {@code 1.5s}; a bare number is µs. */
  public static double micros(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.matches("[0-9]+(\\.[0-9]+)?")) {
      return Double.parseDouble(t);
    }
    Matcher m = AMOUNT.matcher(t);
    if (!m.matches()) {
      throw new FleetctlException(ErrorCode.INVALID_ARGUMENT,
          "not a time value: '" + text + "' (expected e.g. 800us, 2ms, 5s, 10m)");
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us", "µs" -> v;
      case "ms" -> v * 1e3;
      case "s" -> v * 1e6;
      case "m" -> v * 60e6;
      case "h" -> v * 3600e6;
      default -> throw new IllegalStateException("unit " + m.group(2));
    };
  }

  /** A fraction in [0, 1] from {@code 0.02} or {@code 2%}. */
  public static double fraction(String text) {
    String t = text.trim();
    try {
      double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
          : Double.parseDouble(t);
      if (v < 0 || v > 1 || Double.isNaN(v)) {
        throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "'" + text + "' is not between 0 and 1 (or 0% and 100%)");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "not a fraction: '" + text + "' (expected e.g. 0.02 or 2%)", e);
    }
  }
}
