package io.edgefleet.telemetry.metrics;

import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders {@link PipelineMetrics} in the Prometheus text exposition format (version 0.0.4). */
public final class PrometheusFormat {
  /** Content type of the text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusFormat() {}

  /**
   * The exposition text.
   *
   * @param streamState current Kafka Streams state name, exported as {@code telemetry_stream_state{state=...} 1}
   */
  public static String render(PipelineMetrics m, String streamState) {
    StringBuilder sb = new StringBuilder(2048);
    counter(sb, "telemetry_records_received_total", "Telemetry records read from the input topic.", m.received());
    counter(sb, "telemetry_records_processed_total", "Telemetry batches applied to the aggregates.", m.accepted());
    counter(sb, "telemetry_replays_dropped_total", "Batches dropped as replays (same device and sequence).",
        m.replaysDropped());
    counter(sb, "telemetry_sequence_resets_total",
        "Batches far below their device's highest sequence, counted as a restarted sequence.", m.sequenceResets());
    counter(sb, "telemetry_late_window_updates_total",
        "Batches past their window's grace period (counted in totals only).", m.lateWindowUpdates());
    counter(sb, "telemetry_dedup_states_purged_total", "Replay-detection states purged after the retention.",
        m.dedupPurged());
    sb.append("# HELP telemetry_dlq_records_total Records sent to the dead-letter topic, by reason.\n");
    sb.append("# TYPE telemetry_dlq_records_total counter\n");
    Map<String, Long> dlq = m.deadLettered();
    if (dlq.isEmpty()) {
      sb.append("telemetry_dlq_records_total 0\n");
    }
    dlq.forEach((reason, n) -> sb.append("telemetry_dlq_records_total{reason=\"").append(escape(reason)).append("\"} ")
        .append(n).append('\n'));
    Histogram f = m.freshnessSnapshot();
    sb.append("# HELP telemetry_freshness_seconds End-to-end freshness: now minus record timestamp when the batch "
        + "became queryable, since start.\n");
    sb.append("# TYPE telemetry_freshness_seconds summary\n");
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double v = f.getTotalCount() == 0 ? Double.NaN : f.getValueAtPercentile(q * 100) / 1000.0;
      sb.append("telemetry_freshness_seconds{quantile=\"").append(q).append("\"} ").append(number(v)).append('\n');
    }
    double sum = f.getTotalCount() == 0 ? 0 : f.getMean() * f.getTotalCount() / 1000.0;
    sb.append("telemetry_freshness_seconds_sum ").append(number(sum)).append('\n');
    sb.append("telemetry_freshness_seconds_count ").append(f.getTotalCount()).append('\n');
    sb.append("# HELP telemetry_stream_state Current Kafka Streams state (1 for the current state).\n");
    sb.append("# TYPE telemetry_stream_state gauge\n");
    sb.append("telemetry_stream_state{state=\"").append(escape(streamState)).append("\"} 1\n");
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
