package io.edgefleet.quantization.quantize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.model.OpInfo;
import io.edgefleet.quantization.model.TensorInfo;
import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.testing.GraphBuilder;
import io.edgefleet.quantization.testing.TestModels;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;

class QuantizerTest {
    private static final SampleSet CNN_CALIBRATION = TestModels.samples(64, 11, 8, 8, 1);
    private static final SampleSet CNN_EVAL = TestModels.samples(100, 12, 8, 8, 1);
    private static final SampleSet MLP_CALIBRATION = TestModels.samples(64, 21, 256);
    private static final SampleSet MLP_EVAL = TestModels.samples(100, 22, 256);

    @Test
    void shouldQuantizeCnnToFullInt8FollowingTheSpec() {
        byte[] floatModel = TestModels.smallCnn(7);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, CNN_CALIBRATION);
        TfliteModel m = TfliteModel.parse(q.tflite());
        assertThat(m.input().type()).isEqualTo("FLOAT32");
        assertThat(m.output().type()).isEqualTo("FLOAT32");
        assertThat(m.ops().get(0).name()).isEqualTo("QUANTIZE");
        assertThat(m.ops().get(m.ops().size() - 1).name()).isEqualTo("DEQUANTIZE");
        SpecChecks.assertInt8Spec(m);
        Agreement a = Agreement.compare(floatModel, q.tflite(), CNN_EVAL);
        assertThat(a.top1()).isGreaterThanOrEqualTo(0.9);
        assertThat(a.maxAbsDiff()).isLessThan(0.1);
        assertThat(q.report().layers()).hasSize(7).allMatch(l -> l.activationType().equals("INT8"));
        assertThat(q.report().calibrationSamples()).isEqualTo(64);
    }

    @Test
    void shouldShrinkAWeightDominatedModelAtLeast3Point5Times() {
        byte[] floatModel = TestModels.mlp(3);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, MLP_CALIBRATION);
        assertThat((double) floatModel.length / q.sizeBytes()).isGreaterThanOrEqualTo(3.5);
        assertThat(q.report().compressionRatio()).isGreaterThanOrEqualTo(3.5);
        SpecChecks.assertInt8Spec(TfliteModel.parse(q.tflite()));
        Agreement a = Agreement.compare(floatModel, q.tflite(), MLP_EVAL);
        assertThat(a.top1()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldQuantizeWithInt8InputAndOutput() {
        byte[] floatModel = TestModels.smallCnn(7);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8_INT8_IO, CNN_CALIBRATION);
        TfliteModel m = TfliteModel.parse(q.tflite());
        assertThat(m.input().type()).isEqualTo("INT8");
        assertThat(m.output().type()).isEqualTo("INT8");
        assertThat(m.output().scales()).containsExactly(1f / 256);
        assertThat(m.output().zeroPoints()).containsExactly(-128L);
        assertThat(m.opCounts()).doesNotContainKeys("QUANTIZE", "DEQUANTIZE");
        SpecChecks.assertInt8Spec(m);
        assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldQuantizeToFloat16() {
        byte[] floatModel = TestModels.mlp(3);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FLOAT16, null);
        TfliteModel m = TfliteModel.parse(q.tflite());
        assertThat(m.opCounts()).containsEntry("DEQUANTIZE", 6);
        assertThat(m.tensors().stream().filter(TensorInfo::constant)).allMatch(t -> t.type().equals("FLOAT16"));
        assertThat((double) floatModel.length / q.sizeBytes()).isGreaterThan(1.9);
        Agreement a = Agreement.compare(floatModel, q.tflite(), MLP_EVAL);
        assertThat(a.top1()).isEqualTo(1.0);
        assertThat(a.maxAbsDiff()).isLessThan(1e-2);
    }

    @Test
    void shouldQuantizeToDynamicRangeInt8() {
        byte[] floatModel = TestModels.smallCnn(7);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.DYNAMIC_RANGE_INT8, null);
        TfliteModel m = TfliteModel.parse(q.tflite());
        for (OpInfo op : m.ops()) {
            if (op.name().equals("CONV_2D") || op.name().equals("FULLY_CONNECTED")
                    || op.name().equals("DEPTHWISE_CONV_2D")) {
                assertThat(m.tensor(op.inputs()[1]).type()).isEqualTo("INT8");
                assertThat(m.tensor(op.inputs()[0]).type()).isEqualTo("FLOAT32");
            }
        }
        assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldQuantizeToInt16x8() {
        byte[] floatModel = TestModels.smallCnn(7);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.INT16X8, CNN_CALIBRATION);
        TfliteModel m = TfliteModel.parse(q.tflite());
        for (TensorInfo t : m.tensors()) {
            if (t.type().equals("INT16")) {
                assertThat(t.zeroPoints()).containsOnly(0L);
            }
        }
        assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void shouldKeepRequestedLayersInFloat() {
        byte[] floatModel = TestModels.smallCnn(7);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, CNN_CALIBRATION,
                QuantizerOptions.defaults().withFloatLayers(Set.of(2, 5)));
        assertThat(q.report().layers().get(2).activationType()).isEqualTo("FLOAT32");
        assertThat(q.report().layers().get(5).activationType()).isEqualTo("FLOAT32");
        TfliteModel m = TfliteModel.parse(q.tflite());
        assertThat(m.opCounts().get("DEQUANTIZE")).isGreaterThanOrEqualTo(2);
        assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void shouldBuildAMixedPrecisionPlanFromOneCalibration() {
        byte[] floatModel = TestModels.smallCnn(7);
        CalibratedModel calibrated = Quantizer.calibrate(floatModel, CNN_CALIBRATION, QuantizerOptions.defaults());
        java.util.Map<Integer, LayerPrecision> plan = java.util.Map.of(0, LayerPrecision.FLOAT16, 2,
                LayerPrecision.INT4_WEIGHTS, 5, LayerPrecision.INT8);
        QuantizedModel q = Quantizer.quantize(calibrated, QuantizationMode.FULL_INT8,
                QuantizerOptions.defaults().withLayerPrecisions(plan));
        assertThat(q.report().layers().get(0).weightType()).isEqualTo("FLOAT16");
        assertThat(q.report().layers().get(0).activationType()).isEqualTo("FLOAT32");
        assertThat(q.report().layers().get(2).weightType()).isEqualTo("INT4");
        assertThat(q.report().layers().get(5).weightType()).isEqualTo("INT8");
        TfliteModel m = TfliteModel.parse(q.tflite());
        OpInfo conv = m.ops().stream().filter(o -> o.name().equals("CONV_2D")).findFirst().orElseThrow();
        assertThat(m.tensor(conv.inputs()[0]).type()).isEqualTo("FLOAT32");
        assertThat(m.producer(conv.inputs()[1])).isNotNegative(); // fp16 weights expanded by a DEQUANTIZE
        OpInfo dw = m.ops().stream().filter(o -> o.name().equals("DEPTHWISE_CONV_2D")).findFirst().orElseThrow();
        assertThat(m.tensor(dw.inputs()[1]).type()).isEqualTo("INT4");
        assertThat(dw.version()).isEqualTo(7);
        assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.85);
        assertCode(() -> Quantizer.quantize(calibrated, QuantizationMode.INT16X8, QuantizerOptions.defaults()
                .withLayerPrecisions(java.util.Map.of(1, LayerPrecision.INT8))), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void shouldBeDeterministic() {
        byte[] floatModel = TestModels.smallCnn(7);
        for (QuantizationMode mode : QuantizationMode.values()) {
            byte[] a = Quantizer.quantize(floatModel, mode, CNN_CALIBRATION).tflite();
            byte[] b = Quantizer.quantize(floatModel, mode, CNN_CALIBRATION).tflite();
            assertThat(a).as("%s output", mode).isEqualTo(b);
        }
    }

    @Test
    void shouldKeepSignatureDefinitionsPointingAtTheModelInputAndOutput() {
        org.tensorflow.lite.schema.ModelT withSignature = TfliteModel.parse(TestModels.smallCnn(7)).copyModelT();
        var sig = new org.tensorflow.lite.schema.SignatureDefT();
        sig.setSignatureKey("serving_default");
        var in = new org.tensorflow.lite.schema.TensorMapT();
        in.setName("input");
        in.setTensorIndex(withSignature.getSubgraphs()[0].getInputs()[0]);
        var out = new org.tensorflow.lite.schema.TensorMapT();
        out.setName("probs");
        out.setTensorIndex(withSignature.getSubgraphs()[0].getOutputs()[0]);
        sig.setInputs(new org.tensorflow.lite.schema.TensorMapT[] {in});
        sig.setOutputs(new org.tensorflow.lite.schema.TensorMapT[] {out});
        withSignature.setSignatureDefs(new org.tensorflow.lite.schema.SignatureDefT[] {sig});
        byte[] floatModel = TfliteModel.serialize(withSignature);
        TfliteModel q = TfliteModel.parse(Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, CNN_CALIBRATION)
                .tflite());
        var qsig = q.copyModelT().getSignatureDefs()[0];
        assertThat(qsig.getInputs()[0].getTensorIndex()).isEqualTo(q.inputs()[0]);
        assertThat(qsig.getOutputs()[0].getTensorIndex()).isEqualTo(q.outputs()[0]);
    }

    @Test
    void shouldSupportPercentileAndMseRangeEstimators() {
        byte[] floatModel = TestModels.smallCnn(7);
        for (RangeEstimator estimator : new RangeEstimator[] {RangeEstimator.PERCENTILE, RangeEstimator.MSE}) {
            QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, CNN_CALIBRATION,
                    QuantizerOptions.defaults().withRangeEstimator(estimator));
            SpecChecks.assertInt8Spec(TfliteModel.parse(q.tflite()));
            assertThat(Agreement.compare(floatModel, q.tflite(), CNN_EVAL).top1()).isGreaterThanOrEqualTo(0.85);
        }
    }

    @Test
    void shouldRejectMismatchedEmptyOrNonFiniteCalibration() {
        byte[] floatModel = TestModels.smallCnn(7);
        assertCode(() -> Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, TestModels.samples(4, 1, 4, 4,
                1)), ErrorCode.CALIBRATION_MISMATCH);
        assertCode(() -> Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, null), ErrorCode.INVALID_SAMPLES);
        float[][] bad = new float[2][64];
        bad[1][5] = Float.POSITIVE_INFINITY;
        assertCode(() -> Quantizer.quantize(floatModel, QuantizationMode.FULL_INT8, new SampleSet(new int[] {8, 8, 1},
                bad, null)), ErrorCode.NON_FINITE_VALUES);
    }

    @Test
    void shouldRejectNanWeightsCorruptModelsAndUnsupportedOps() {
        GraphBuilder b = new GraphBuilder(1);
        int in = b.activation("in", 1, 2);
        int w = b.constant("w", new float[] {1f, Float.NaN, 0f, 1f}, 2, 2);
        int bias = b.constant("b", new float[] {0f, 0f}, 2);
        int out = b.activation("out", 1, 2);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                new int[] {in, w, bias}, out).io(new int[] {in}, new int[] {out});
        SampleSet two = new SampleSet(new int[] {2}, new float[][] {{0.1f, 0.2f}}, null);
        assertCode(() -> Quantizer.quantize(b.build(), QuantizationMode.FULL_INT8, two), ErrorCode.NON_FINITE_VALUES);

        byte[] truncated = java.util.Arrays.copyOf(TestModels.smallCnn(1), 300);
        assertCode(() -> Quantizer.quantize(truncated, QuantizationMode.FULL_INT8, CNN_CALIBRATION),
                ErrorCode.CORRUPT_MODEL);

        GraphBuilder u = new GraphBuilder(1);
        int x = u.activation("x", 1, 2);
        int y = u.activation("y", 1, 2);
        u.op(BuiltinOperator.EXP, BuiltinOptions.NONE, null, new int[] {x}, y).io(new int[] {x}, new int[] {y});
        assertCode(() -> Quantizer.quantize(u.build(), QuantizationMode.FULL_INT8, two), ErrorCode.UNSUPPORTED_OP);
    }

    @Test
    void shouldQuantizeInt4WeightsThatTheRuntimeRuns() {
        byte[] floatModel = TestModels.mlp(3);
        QuantizedModel q = Quantizer.quantize(floatModel, QuantizationMode.INT4_WEIGHTS, MLP_CALIBRATION);
        TfliteModel m = TfliteModel.parse(q.tflite());
        for (OpInfo op : m.ops()) {
            if (op.name().equals("FULLY_CONNECTED")) {
                TensorInfo w = m.tensor(op.inputs()[1]);
                assertThat(w.type()).isEqualTo("INT4");
                assertThat(op.version()).isEqualTo(10);
                byte[] packed = m.constantBytes(op.inputs()[1]);
                assertThat(packed).hasSize((int) ((w.elements() + 1) / 2));
                for (byte b : packed) {
                    int lo = (byte) (b << 4) >> 4;
                    int hi = b >> 4;
                    assertThat(lo).isBetween(-7, 7);
                    assertThat(hi).isBetween(-7, 7);
                }
            }
        }
        assertThat((double) floatModel.length / q.sizeBytes()).isGreaterThan(5.0);
        assertThat(Agreement.compare(floatModel, q.tflite(), MLP_EVAL).top1()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void shouldDeclareTheOperatorVersionsTheKernelsRequire() {
        TfliteModel dynamic = TfliteModel.parse(Quantizer.quantize(TestModels.smallCnn(7),
                QuantizationMode.DYNAMIC_RANGE_INT8, null).tflite());
        assertThat(versions(dynamic)).containsEntry("CONV_2D", 5).containsEntry("DEPTHWISE_CONV_2D", 6)
                .containsEntry("FULLY_CONNECTED", 12).containsEntry("SOFTMAX", 1);
        TfliteModel fp16 = TfliteModel.parse(Quantizer.quantize(TestModels.smallCnn(7), QuantizationMode.FLOAT16,
                null).tflite());
        assertThat(versions(fp16)).containsEntry("DEQUANTIZE", 3).containsEntry("CONV_2D", 1);
        TfliteModel int16 = TfliteModel.parse(Quantizer.quantize(TestModels.smallCnn(7), QuantizationMode.INT16X8,
                CNN_CALIBRATION).tflite());
        assertThat(versions(int16)).containsEntry("CONV_2D", 4).containsEntry("DEPTHWISE_CONV_2D", 5)
                .containsEntry("FULLY_CONNECTED", 7).containsEntry("SOFTMAX", 3).containsEntry("QUANTIZE", 2)
                .containsEntry("DEQUANTIZE", 3);
        TfliteModel int8 = TfliteModel.parse(Quantizer.quantize(TestModels.smallCnn(7), QuantizationMode.FULL_INT8,
                CNN_CALIBRATION).tflite());
        assertThat(versions(int8)).containsEntry("CONV_2D", 3).containsEntry("DEPTHWISE_CONV_2D", 3)
                .containsEntry("FULLY_CONNECTED", 4).containsEntry("SOFTMAX", 2).containsEntry("RELU6", 2)
                .containsEntry("AVERAGE_POOL_2D", 2).containsEntry("QUANTIZE", 1).containsEntry("DEQUANTIZE", 2);
    }

    private static java.util.Map<String, Integer> versions(TfliteModel m) {
        java.util.Map<String, Integer> v = new java.util.TreeMap<>();
        for (OpInfo op : m.ops()) {
            v.put(op.name(), op.version());
        }
        return v;
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(QuantizationException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Top-1 agreement and max |diff| of outputs between two models on a sample set. */
    record Agreement(double top1, double maxAbsDiff) {
        static Agreement compare(byte[] reference, byte[] candidate, SampleSet samples) {
            try (TfliteRunner a = TfliteRunner.load(reference, 1); TfliteRunner b = TfliteRunner.load(candidate, 1)) {
                float[][] ra = a.inferAll(samples);
                float[][] rb = b.inferAll(samples);
                int agree = 0;
                double max = 0;
                for (int i = 0; i < ra.length; i++) {
                    if (argmax(ra[i]) == argmax(rb[i])) {
                        agree++;
                    }
                    for (int k = 0; k < ra[i].length; k++) {
                        max = Math.max(max, Math.abs(ra[i][k] - rb[i][k]));
                    }
                }
                return new Agreement((double) agree / ra.length, max);
            }
        }

        static int argmax(float[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return best;
        }
    }
}
