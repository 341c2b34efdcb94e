package io.edgefleet.fleetctl.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Text renderings of the analysis, Pareto and plan documents of {@code /api/models/{id}/…}. */
final class AnalysisTables {
  private static final List<String> PRECISION_ORDER =
      List.of("float32", "float16", "int16x8", "int8", "dynamic-int8", "int4-weights");

  private AnalysisTables() {}

  /** One row per layer: params, MACs, then size and top-1 agreement for every precision measured. */
  static String layers(JsonNode analysis) {
    StringBuilder sb = new StringBuilder();
    sb.append("analysis ").append(Format.text(analysis, "status"));
    if (analysis.hasNonNull("errorCode")) {
      sb.append(": ").append(Format.text(analysis, "errorCode")).append(' ').append(Format.text(analysis, "message"));
    }
    sb.append(System.lineSeparator());
    JsonNode layers = analysis.path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      return sb.toString();
    }
    TreeSet<String> seen = new TreeSet<>();
    layers.forEach(l -> l.path("options").fieldNames().forEachRemaining(seen::add));
    List<String> precisions = new ArrayList<>();
    PRECISION_ORDER.stream().filter(seen::contains).forEach(precisions::add);
    seen.stream().filter(p -> !precisions.contains(p)).forEach(precisions::add);
    List<String> headers = new ArrayList<>(List.of("LAYER", "PARAMS", "MACS"));
    for (String p : precisions) {
      headers.add(p + " SIZE");
      headers.add(p + " AGREE");
    }
    Table t = new Table(headers.toArray(String[]::new));
    for (JsonNode l : layers) {
      List<Object> cells = new ArrayList<>(List.of(l.path("layerId").asText(),
          String.format("%,d", l.path("paramCount").asLong()), String.format("%,d", l.path("macs").asLong())));
      for (String p : precisions) {
        JsonNode o = l.path("options").get(p);
        cells.add(o == null ? null : Format.bytes(o.path("sizeBytes").asLong()));
        cells.add(o == null ? null : Format.percent(o.path("agreement").asDouble(Double.NaN), 2));
      }
      t.row(cells.toArray());
    }
    return sb.append(t.render()).toString();
  }

  /** One row per frontier point. */
  static String pareto(JsonNode frontier) {
    StringBuilder sb = new StringBuilder();
    scalars(frontier, sb);
    JsonNode points = frontier.path("points");
    Table t = new Table("BUDGET", "PREDICTED LOSS", "SIZE", "LATENCY", "PRECISIONS");
    for (JsonNode p : points) {
      t.row(number(p.get("budget")), String.format(Locale.ROOT, "%.5f", p.path("predictedLoss").asDouble()),
          Format.bytes(p.path("sizeBytes").asLong()), Format.micros(p.path("latencyMicros").asDouble(-1)),
          histogram(p.path("layerPrecisions")));
    }
    return sb.append(t.render()).toString();
  }

  /** The chosen plan: its scalar fields, constraints and per-layer precisions. */
  static String plan(JsonNode plan) {
    StringBuilder sb = new StringBuilder();
    scalars(plan, sb);
    for (Iterator<Map.Entry<String, JsonNode>> it = plan.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isObject() && !e.getKey().equals("layerPrecisions")) {
        sb.append(e.getKey()).append(':').append(System.lineSeparator());
        StringBuilder nested = new StringBuilder();
        scalars(v, nested);
        nested.toString().lines().forEach(line -> sb.append("  ").append(line).append(System.lineSeparator()));
        v.fields().forEachRemaining(inner -> {
          if (inner.getValue().isContainerNode()) {
            sb.append("  ").append(inner.getKey()).append(": ").append(inner.getValue()).append(System.lineSeparator());
          }
        });
      } else if (v.isArray()) {
        sb.append(e.getKey()).append(':').append(System.lineSeparator());
        for (JsonNode item : v) {
          sb.append("  - ").append(item.isValueNode() ? item.asText() : item.toString()).append(System.lineSeparator());
        }
      }
    }
    JsonNode layers = plan.path("layerPrecisions");
    if (layers.isObject() && !layers.isEmpty()) {
      Table t = new Table("LAYER", "PRECISION");
      layers.fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue().asText()));
      sb.append(t.render());
    }
    return sb.toString();
  }

  private static void scalars(JsonNode node, StringBuilder sb) {
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode()) {
        sb.append(e.getKey()).append(": ").append(e.getValue().isNull() ? "-" : e.getValue().asText())
            .append(System.lineSeparator());
      }
    });
  }

  private static String number(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  /** {@code int8×12 float32×1} from a layer → precision map. */
  private static String histogram(JsonNode layerPrecisions) {
    java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<>();
    layerPrecisions.fields().forEachRemaining(e -> counts.merge(e.getValue().asText(), 1, Integer::sum));
    StringBuilder sb = new StringBuilder();
    counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('×').append(v));
    return sb.length() == 0 ? null : sb.toString();
  }
}
