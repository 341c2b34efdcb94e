package io.edgefleet.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations settings are written in: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 7d}, or
 * ISO-8601 such as {@code PT2M}. */
public final class Durations {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @param bareNumberUnit the unit of a number written without one, or {@code null} when a unit is required
   * @throws IllegalArgumentException when {@code text} is not a duration (the message shows the accepted forms)
   */
  public static Duration parse(String text, ChronoUnit bareNumberUnit) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(t);
    if (m.matches() && (m.group(2) != null || bareNumberUnit != null)) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range: '" + text + "'", e);
      }
      return m.group(2) == null ? Duration.of(n, bareNumberUnit) : switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 30s, 2m, 1h, 7d or PT2M"
          + (bareNumberUnit == null ? "" : "; a bare number is in " + bareNumberUnit.toString().toLowerCase(Locale.ROOT))
          + ")", e);
    }
  }
}
