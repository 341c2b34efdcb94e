package io.edgefleet.quantizer.mixed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.planner.PlanHash;
import io.edgefleet.planner.Precision;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.quantize.LayerPrecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON plan file written by {@code plan} and read by {@code quantize --plan}:
 *
 * <pre>{"format":"edgefleet-mixed-plan/1","baseMode":"FULL_INT8","metric":"kl","planHash":"…",
 *  "predictedLoss":0.01,"predictedModelBytes":123456,"predictedLatencyMicros":210.5,
 *  "sizeBudgetBytes":130000,"latencyBudgetMicros":null,
 *  "layers":[{"layerId":"0:CONV_2D","precision":"int8"}, …]}</pre>
 *
 * Only {@code layers} is required when reading; a layer id {@code <index>:<OP>} must match the model's operator.
 */
public final class PlanFile {
    public static final String FORMAT = "edgefleet-mixed-plan/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanFile() {
    }

    /** The JSON document of a solved plan. */
    public static ObjectNode toJson(TfliteModel model, MixedPlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("baseMode", "FULL_INT8");
        root.put("metric", plan.metric().key());
        root.put("planHash", plan.plan().planHash());
        root.put("predictedLoss", plan.predictedLoss());
        root.put("predictedModelBytes", plan.predictedModelBytes());
        if (plan.plan().latencyKnown()) {
            root.put("predictedLatencyMicros", plan.predictedLatencyMicros());
        } else {
            root.putNull("predictedLatencyMicros");
        }
        if (plan.request().maxModelBytes() != null) {
            root.put("sizeBudgetBytes", plan.request().maxModelBytes());
        } else {
            root.putNull("sizeBudgetBytes");
        }
        if (plan.request().maxLatencyMicros() != null) {
            root.put("latencyBudgetMicros", plan.request().maxLatencyMicros());
        } else {
            root.putNull("latencyBudgetMicros");
        }
        root.set("layers", layers(model, plan.layerPrecisions()));
        return root;
    }

    /** The "layers" array of any per-layer plan. */
    public static ArrayNode layers(TfliteModel model, Map<Integer, LayerPrecision> plan) {
        ArrayNode layers = MAPPER.createArrayNode();
        for (OpInfo op : model.ops()) {
            ObjectNode l = layers.addObject();
            l.put("layerId", op.layerId());
            l.put("precision", PrecisionMapping.toPlanner(plan.getOrDefault(op.index(), LayerPrecision.FLOAT32)).key());
        }
        return layers;
    }

    public static void write(Path file, ObjectNode json) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            MAPPER.writeValue(tmp.toFile(), json);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new QuantizerCliException(CliErrorCode.IO_ERROR, "cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** Reads a plan file and resolves it against the model: operator index → precision (unlisted = FLOAT32). */
    public static Map<Integer, LayerPrecision> read(Path file, TfliteModel model) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException ex) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "cannot read plan " + file + ": "
                    + ex.getMessage(), ex);
        }
        return parse(root, model);
    }

    static Map<Integer, LayerPrecision> parse(JsonNode root, TfliteModel model) {
        if (root == null || !root.isObject() || !root.path("layers").isArray()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "a plan must be a JSON object with a "
                    + "\"layers\" array");
        }
        JsonNode format = root.get("format");
        if (format != null && !format.isNull() && !FORMAT.equals(format.asText())) {
            throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "unsupported plan format '" + format.asText()
                    + "' (expected " + FORMAT + ")");
        }
        Map<Integer, LayerPrecision> plan = new HashMap<>();
        for (JsonNode layer : root.get("layers")) {
            JsonNode id = layer.get("layerId");
            JsonNode precision = layer.get("precision");
            if (id == null || precision == null || !precision.isTextual()) {
                throw new QuantizerCliException(CliErrorCode.INVALID_PLAN,
                        "every layer needs \"layerId\" and a textual \"precision\": " + layer);
            }
            int index = MixedPrecisionPipeline.layerIndex(model, id.asText());
            Precision p;
            try {
                p = Precision.fromKey(precision.asText());
            } catch (RuntimeException ex) {
                throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "layer " + id.asText()
                        + ": unknown precision '" + precision.asText() + "'", ex);
            }
            if (plan.put(index, PrecisionMapping.toLayer(p)) != null) {
                throw new QuantizerCliException(CliErrorCode.INVALID_PLAN, "layer " + id.asText() + " is listed twice");
            }
        }
        return plan;
    }

    /** Stable hash of a per-layer plan (planner's canonical form over {@code <index>:<OP>} ids). */
    public static String hash(TfliteModel model, Map<Integer, LayerPrecision> plan) {
        Map<String, Precision> assignment = new LinkedHashMap<>();
        for (OpInfo op : model.ops()) {
            assignment.put(op.layerId(), PrecisionMapping.toPlanner(plan.getOrDefault(op.index(),
                    LayerPrecision.FLOAT32)));
        }
        return PlanHash.of(assignment);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
