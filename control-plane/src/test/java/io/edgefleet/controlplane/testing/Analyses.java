package io.edgefleet.controlplane.testing;

import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.Ops;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.LayerAnalysis;
import io.edgefleet.schemas.events.LayerAnalysis.PrecisionOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link AnalysisCompleted} a quantizer worker would publish for a real float model: the decision layers
 * are the model's weighted operators (ids {@code <index>:<OP>}, parameter counts and MACs from the parsed graph), the
 * per-precision sizes follow the worker's size model (float32 4 B and float16 2 B per weight and bias element; int8
 * 1 B per weight, 4 B per bias element and 12 B per output channel for each of the weight and bias quantization
 * parameters; int4 as int8 with two weights per byte), the fixed bytes are the rest of the file. Agreements and
 * latencies are the given per-precision values (what the worker would have measured).
 */
public final class Analyses {
  private Analyses() {}

  /** Measured agreement / worker-host latency of every layer at one precision. */
  public record Measured(double agreement, double latencyMicros) {}

  /** Typical measurements: float16 is nearly lossless, int8 loses 1 %, int4 weights 6 %. */
  public static Map<String, Measured> typical() {
    return Map.of(
        "float32", new Measured(1.0, 40.0),
        "float16", new Measured(0.999, 38.0),
        "int8", new Measured(0.99, 15.0),
        "int4-weights", new Measured(0.94, 25.0));
  }

  public static AnalysisCompleted of(String modelId, byte[] modelBytes, Map<String, Measured> measured) {
    TfliteModel model = TfliteModel.parse(modelBytes);
    List<LayerAnalysis> layers = new ArrayList<>();
    long layerFloatBytes = 0;
    for (OpInfo op : model.ops()) {
      if (!Ops.WEIGHTED_OPS.contains(op.builtinCode())) {
        continue;
      }
      int[] in = op.inputs();
      long weights = model.tensor(in[1]).elements();
      long channels = model.tensor(in[1]).shape()[Ops.weightChannelAxis(op.builtinCode())];
      long bias = in.length > 2 && in[2] >= 0 ? model.tensor(in[2]).elements() : 0;
      long quantParams = 2 * channels * 12;
      Map<String, Long> sizes = Map.of(
          "float32", 4 * (weights + bias),
          "float16", 2 * (weights + bias),
          "int8", weights + 4 * bias + quantParams,
          "int4-weights", (weights + 1) / 2 + 4 * bias + quantParams);
      layerFloatBytes += sizes.get("float32");
      Map<String, PrecisionOption> options = new TreeMap<>();
      measured.forEach((key, m) -> options.put(key, new PrecisionOption(sizes.get(key), m.latencyMicros(),
          m.agreement(), (1 - m.agreement()) * 0.1, (1 - m.agreement()) * 0.2, -1)));
      layers.add(new LayerAnalysis(op.layerId(), op.name(), op.parameterCount(), op.macs(), null, options));
    }
    return new AnalysisCompleted(modelId, BuildKeys.sha256Hex(modelBytes), "it-worker", modelBytes.length,
        Math.max(0, modelBytes.length - layerFloatBytes), 32, "it-worker host (x86_64, 1 thread)", layers, 250,
        Instant.now());
  }
}
