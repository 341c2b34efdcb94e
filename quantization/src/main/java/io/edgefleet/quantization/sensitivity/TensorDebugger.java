package io.edgefleet.quantization.sensitivity;

import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TensorInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Per-tensor debug report: runs the float and the quantized model with every intermediate tensor exposed as an
 * output and compares, tensor by tensor (matched by name), the float values with the dequantized ones.
 */
public final class TensorDebugger {
    private TensorDebugger() {
    }

    public static List<TensorDiff> compare(byte[] floatModel, byte[] quantizedModel, SampleSet samples, int threads) {
        TfliteModel f = TfliteModel.parse(floatModel);
        TfliteModel q = TfliteModel.parse(quantizedModel);
        Map<String, Integer> floatByName = new HashMap<>();
        for (OpInfo op : f.ops()) {
            for (int t : op.outputs()) {
                floatByName.put(f.tensor(t).name(), t);
            }
        }
        Map<Integer, Integer> pairs = new LinkedHashMap<>(); // quantized tensor -> float tensor
        for (OpInfo op : q.ops()) {
            for (int t : op.outputs()) {
                TensorInfo info = q.tensor(t);
                Integer ft = floatByName.get(info.name());
                boolean readable = info.typeCode() == TensorType.FLOAT32 || info.typeCode() == TensorType.INT8
                        || info.typeCode() == TensorType.INT16 || info.typeCode() == TensorType.UINT8;
                if (ft != null && readable && f.tensor(ft).elements() == info.elements()) {
                    pairs.put(t, ft);
                }
            }
        }
        List<Integer> qOut = new ArrayList<>(pairs.keySet());
        List<Integer> fOut = new ArrayList<>(pairs.values());
        int n = qOut.size();
        double[] se = new double[n];
        double[] energy = new double[n];
        double[] max = new double[n];
        long[] count = new long[n];
        try (TfliteRunner fr = TfliteRunner.load(exposeAll(f, fOut), threads);
                TfliteRunner qr = TfliteRunner.load(exposeAll(q, qOut), threads)) {
            fr.requireCompatible(samples);
            for (float[] sample : samples.inputs()) {
                float[][] fv = fr.inferOutputs(sample);
                float[][] qv = qr.inferOutputs(sample);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < fv[i].length; k++) {
                        double d = fv[i][k] - qv[i][k];
                        se[i] += d * d;
                        energy[i] += (double) fv[i][k] * fv[i][k];
                        max[i] = Math.max(max[i], Math.abs(d));
                    }
                    count[i] += fv[i].length;
                }
            }
        }
        List<TensorDiff> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TensorInfo info = q.tensor(qOut.get(i));
            double snr = se[i] == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(energy[i] / se[i]);
            result.add(new TensorDiff(info.name(), info.type(), info.quantized() ? info.scales()[0] : 0,
                    se[i] / Math.max(1, count[i]), max[i], snr));
        }
        return result;
    }

    private static byte[] exposeAll(TfliteModel model, List<Integer> outputs) {
        ModelT copy = model.copyModelT();
        int[] outs = outputs.stream().mapToInt(Integer::intValue).toArray();
        copy.getSubgraphs()[0].setOutputs(outs);
        copy.setSignatureDefs(null);
        return TfliteModel.serialize(copy);
    }
}
