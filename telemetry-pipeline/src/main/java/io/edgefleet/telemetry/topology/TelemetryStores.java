package io.edgefleet.telemetry.topology;

/**
 * Names and key layout of the pipeline's state stores. Composite keys join their parts with {@link #SEPARATOR} (U+001F,
 * which ids may not contain: such records are dead-lettered), so a prefix scan / key range over {@code part1 + SEP}
 * finds every second part.
 *
 * <p>All stores are partitioned like the telemetry topic (by device id): an aggregate keyed by build and class is
 * partial on each partition and the query layer merges the partitions' values (aggregates are mergeable).
 */
public final class TelemetryStores {
  /** Replay detection. Key: device id. Value: {@link io.edgefleet.telemetry.aggregate.DedupState}. */
  public static final String DEDUP = "telemetry-dedup";
  /** Windowed aggregates per build × hardware class. Key: {@code buildKey SEP hardwareClass}. */
  public static final String BUILD_CLASS_WINDOWS = "telemetry-build-class-windows";
  /** Windowed aggregates per rollout × build. Key: {@code rolloutId SEP buildKey}. */
  public static final String ROLLOUT_BUILD_WINDOWS = "telemetry-rollout-build-windows";
  /** Windowed aggregates per device. Key: device id. */
  public static final String DEVICE_WINDOWS = "telemetry-device-windows";
  /** All-time totals per build × hardware class. Key: {@code buildKey SEP hardwareClass}. */
  public static final String BUILD_CLASS_TOTALS = "telemetry-build-class-totals";

  /** Separator of composite keys. */
  public static final char SEPARATOR = '\u001F';

  private TelemetryStores() {}

  /** {@code first SEP second}. */
  public static String key(String first, String second) {
    return first + SEPARATOR + second;
  }

  /** Smallest composite key starting with {@code first}. */
  public static String rangeFrom(String first) {
    return first + SEPARATOR;
  }

  /** Largest composite key starting with {@code first} (the separator's successor sorts after every such key). */
  public static String rangeTo(String first) {
    return first + (char) (SEPARATOR + 1);
  }

  /** The part after the separator. */
  public static String second(String compositeKey) {
    int i = compositeKey.indexOf(SEPARATOR);
    if (i < 0) {
      throw new IllegalArgumentException("not a composite store key");
    }
    return compositeKey.substring(i + 1);
  }
}
