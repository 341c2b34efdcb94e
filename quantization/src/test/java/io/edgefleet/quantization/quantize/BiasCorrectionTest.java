package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.GraphBuilder;
import io.edgefleet.quantization.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;

class BiasCorrectionTest {

    /** input 64 -> FULLY_CONNECTED 16 (no activation): outputs are the raw logits. */
    private static byte[] linear() {
        GraphBuilder b = new GraphBuilder(11);
        int x = b.activation("input", 1, 64);
        int w = b.randomConstant("fc/w", 0.4f, 16, 64);
        int bias = b.randomConstant("fc/b", 0.1f, 16);
        int out = b.activation("logits", 1, 16);
        FullyConnectedOptionsT fo = new FullyConnectedOptionsT();
        fo.setFusedActivationFunction(ActivationFunctionType.NONE);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fo, new int[] {x, w, bias}, out);
        b.io(new int[] {x}, new int[] {out});
        return b.build();
    }

    @Test
    void shouldRemoveTheMeanOutputErrorOfInt4Weights() {
        byte[] model = linear();
        SampleSet samples = TestModels.samples(200, 5, 64);
        QuantizerOptions options = QuantizerOptions.defaults();
        double plain = meanAbsBias(model, Quantizer.quantize(model, QuantizationMode.INT4_WEIGHTS, samples, options)
                .tflite(), samples);
        double corrected = meanAbsBias(model, Quantizer.quantize(model, QuantizationMode.INT4_WEIGHTS, samples,
                options.withBiasCorrection(true)).tflite(), samples);
        // inputs in [0, 1] have a large mean: int4 weight error shifts every logit; the correction cancels the shift
        assertThat(plain).isGreaterThan(0.01);
        assertThat(corrected).isLessThan(plain / 4);
    }

    @Test
    void shouldLeaveModelsUnchangedWhenDisabled() {
        byte[] model = linear();
        SampleSet samples = TestModels.samples(50, 6, 64);
        byte[] a = Quantizer.quantize(model, QuantizationMode.FULL_INT8, samples, QuantizerOptions.defaults()).tflite();
        byte[] b = Quantizer.quantize(model, QuantizationMode.FULL_INT8, samples, QuantizerOptions.defaults()
                .withBiasCorrection(false)).tflite();
        assertThat(a).isEqualTo(b);
        byte[] c = Quantizer.quantize(model, QuantizationMode.FULL_INT8, samples, QuantizerOptions.defaults()
                .withBiasCorrection(true)).tflite();
        assertThat(c).isNotEqualTo(a);
    }

    /** Mean over output channels of |mean over samples of (quantized - float)|. */
    private static double meanAbsBias(byte[] floatModel, byte[] quantized, SampleSet samples) {
        double[] sum = new double[16];
        try (TfliteRunner f = TfliteRunner.load(floatModel, 1); TfliteRunner q = TfliteRunner.load(quantized, 1)) {
            for (float[] x : samples.inputs()) {
                float[] a = f.infer(x);
                float[] b = q.infer(x);
                for (int k = 0; k < a.length; k++) {
                    sum[k] += b[k] - a[k];
                }
            }
        }
        double total = 0;
        for (double s : sum) {
            total += Math.abs(s / samples.count());
        }
        return total / sum.length;
    }
}
