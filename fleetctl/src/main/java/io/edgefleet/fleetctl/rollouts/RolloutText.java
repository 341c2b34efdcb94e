package io.edgefleet.fleetctl.rollouts;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.devices.DevicesCommand;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import java.util.Map;
import java.util.TreeMap;

/** Text renderings of a rollout view. */
final class RolloutText {
  private RolloutText() {}

  /** {@code <id> RUNNING group 2/3 · 7/10 succeeded, 1 failed · RUNNING=7 FAILED=1 DOWNLOADING=2}. */
  static String progressLine(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.path("id").asText()).append(' ').append(r.path("status").asText());
    int groups = r.path("groups").size();
    if (groups > 0) {
      sb.append(" group ").append(Math.min(r.path("currentGroup").asInt() + 1, groups)).append('/').append(groups);
    }
    sb.append(" · ").append(r.path("succeeded").asInt()).append('/').append(r.path("total").asInt())
        .append(" succeeded, ").append(r.path("failed").asInt()).append(" failed");
    Map<String, Integer> counts = new TreeMap<>();
    r.path("counts").fields().forEachRemaining(e -> {
      if (e.getValue().asInt() > 0) {
        counts.put(e.getKey(), e.getValue().asInt());
      }
    });
    if (!counts.isEmpty()) {
      sb.append(" ·");
      counts.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    }
    if (r.hasNonNull("statusReason") && !r.path("status").asText().equals("RUNNING")) {
      sb.append(" · ").append(r.path("statusReason").asText());
    }
    return sb.toString();
  }

  static String summary(JsonNode r) {
    StringBuilder sb = new StringBuilder(progressLine(r)).append(System.lineSeparator());
    sb.append(classes(r));
    return sb.toString();
  }

  static String detail(JsonNode r) {
    StringBuilder sb = new StringBuilder();
    sb.append("rollout ").append(r.path("id").asText()).append(" \"").append(r.path("name").asText()).append("\" of model ")
        .append(Format.text(r, "modelId")).append(System.lineSeparator());
    sb.append(progressLine(r)).append(System.lineSeparator());
    sb.append("accuracy SLO: max drop ").append(Format.percent(r.path("maxAccuracyDrop").asDouble(), 2))
        .append(" · on breach: ").append(Format.text(r, "onBreach"))
        .append(" · dynamic: ").append(r.path("dynamic").asBoolean()).append(System.lineSeparator());
    JsonNode gates = r.path("gates");
    if (gates.isObject()) {
      sb.append("gates: accuracy drop ≤ ").append(Format.text(gates, "maxAccuracyDrop"))
          .append(", p95 ≤ ").append(gates.hasNonNull("maxP95LatencyMicros")
              ? Format.micros(gates.path("maxP95LatencyMicros").asDouble()) : "-")
          .append(", failure rate ≤ ").append(Format.text(gates, "maxFailureRate"))
          .append(", min samples ").append(Format.text(gates, "minSamples")).append(System.lineSeparator());
    }
    sb.append(classes(r));
    Table groups = new Table("GROUP", "NAME", "STATUS", "DEVICES", "SUCCEEDED", "FAILED", "SUCCESS ≥", "ERROR ≤", "GATES");
    for (JsonNode g : r.path("groups")) {
      StringBuilder gateText = new StringBuilder();
      for (JsonNode gate : g.path("gates")) {
        gateText.append(gateText.length() == 0 ? "" : ", ").append(gate.path("gate").asText()).append('=')
            .append(gate.path("verdict").asText());
      }
      groups.row(g.path("index").asInt() + 1, Format.text(g, "name"), Format.text(g, "status"), g.path("total").asInt(),
          g.path("succeeded").asInt(), g.path("failed").asInt(),
          Format.percent(g.path("successThreshold").asDouble(), 0), Format.percent(g.path("errorThreshold").asDouble(), 0),
          gateText.length() == 0 ? null : gateText.toString());
    }
    if (groups.size() > 0) {
      sb.append(groups.render());
    }
    Table history = new Table("AT", "ACTION", "FROM", "TO", "REASON");
    for (JsonNode h : r.path("history")) {
      history.row(Format.text(h, "at"), Format.text(h, "action"), Format.text(h, "from"), Format.text(h, "to"),
          Format.text(h, "reason"));
    }
    if (history.size() > 0) {
      sb.append(history.render());
    }
    return sb.toString();
  }

  private static String classes(JsonNode r) {
    JsonNode classes = r.path("classes");
    if (!classes.isArray() || classes.isEmpty()) {
      return "";
    }
    Table t = new Table("HARDWARE CLASS", "DEVICES", "MODE", "BUILD");
    for (JsonNode c : classes) {
      t.row(Format.text(c, "hardwareClass"), c.path("devices").asInt(), Format.text(c, "mode"),
          DevicesCommand.shortKey(Format.text(c, "buildKey")));
    }
    return t.render();
  }
}
