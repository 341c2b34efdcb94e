package io.edgefleet.quantization.model;

import java.util.List;
import java.util.Map;

/**
 * What a model contains, for validation reports and analysis.
 *
 * @param modelBytes size of the flatbuffer
 * @param operatorCount operators in the main subgraph
 * @param tensorCount tensors in the main subgraph
 * @param opCounts number of operators per builtin name
 * @param inputShape shape of the (first) input
 * @param inputType type of the (first) input
 * @param outputShape shape of the (first) output
 * @param outputType type of the (first) output
 * @param totalMacs sum of per-layer MACs
 * @param totalParameters sum of constant elements
 * @param totalParameterBytes sum of constant bytes
 * @param layers per-operator details
 */
public record ModelSummary(long modelBytes, int operatorCount, int tensorCount, Map<String, Integer> opCounts,
        List<Integer> inputShape, String inputType, List<Integer> outputShape, String outputType, long totalMacs,
        long totalParameters, long totalParameterBytes, List<LayerSummary> layers) {

    public ModelSummary {
        opCounts = Map.copyOf(opCounts);
        inputShape = List.copyOf(inputShape);
        outputShape = List.copyOf(outputShape);
        layers = List.copyOf(layers);
    }

    /** One operator. */
    public record LayerSummary(int index, String layerId, String op, List<Integer> outputShape, long macs,
            long parameters, long parameterBytes, String weightType) {
        public LayerSummary {
            outputShape = List.copyOf(outputShape);
        }
    }
}
