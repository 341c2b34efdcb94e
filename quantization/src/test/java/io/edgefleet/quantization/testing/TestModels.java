package io.edgefleet.quantization.testing;

import io.edgefleet.quantization.samples.SampleSet;
import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;

/** Small deterministic float32 models and sample sets. */
public final class TestModels {
    private TestModels() {
    }

    /**
     * 8x8x1 input: CONV_2D 3x3x8 (RELU fused) -> RELU6 -> DEPTHWISE_CONV_2D 3x3 -> AVERAGE_POOL_2D 2x2 -> RESHAPE
     * -> FULLY_CONNECTED(10) -> SOFTMAX.
     */
    public static byte[] smallCnn(long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        int in = b.activation("input", 1, 8, 8, 1);
        int w1 = b.randomConstant("conv/w", 0.5f, 8, 3, 3, 1);
        int b1 = b.randomConstant("conv/b", 0.1f, 8);
        int c1 = b.activation("conv/out", 1, 8, 8, 8);
        Conv2DOptionsT co = new Conv2DOptionsT();
        co.setPadding(Padding.SAME);
        co.setStrideH(1);
        co.setStrideW(1);
        co.setDilationHFactor(1);
        co.setDilationWFactor(1);
        co.setFusedActivationFunction(ActivationFunctionType.RELU);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, co, new int[] {in, w1, b1}, c1);
        int r6 = b.activation("relu6/out", 1, 8, 8, 8);
        b.op(BuiltinOperator.RELU6, BuiltinOptions.NONE, null, new int[] {c1}, r6);
        int w2 = b.randomConstant("dw/w", 0.5f, 1, 3, 3, 8);
        int b2 = b.randomConstant("dw/b", 0.1f, 8);
        int c2 = b.activation("dw/out", 1, 8, 8, 8);
        DepthwiseConv2DOptionsT dw = new DepthwiseConv2DOptionsT();
        dw.setPadding(Padding.SAME);
        dw.setStrideH(1);
        dw.setStrideW(1);
        dw.setDepthMultiplier(1);
        dw.setDilationHFactor(1);
        dw.setDilationWFactor(1);
        dw.setFusedActivationFunction(ActivationFunctionType.RELU);
        b.op(BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOptions.DepthwiseConv2DOptions, dw, new int[] {r6, w2, b2},
                c2);
        int p = b.activation("pool/out", 1, 4, 4, 8);
        Pool2DOptionsT po = new Pool2DOptionsT();
        po.setPadding(Padding.VALID);
        po.setStrideH(2);
        po.setStrideW(2);
        po.setFilterHeight(2);
        po.setFilterWidth(2);
        b.op(BuiltinOperator.AVERAGE_POOL_2D, BuiltinOptions.Pool2DOptions, po, new int[] {c2}, p);
        int shape = b.intConstant("reshape/shape", new int[] {1, 128}, 2);
        int flat = b.activation("flatten", 1, 128);
        ReshapeOptionsT ro = new ReshapeOptionsT();
        ro.setNewShape(new int[] {1, 128});
        b.op(BuiltinOperator.RESHAPE, BuiltinOptions.ReshapeOptions, ro, new int[] {p, shape}, flat);
        int w3 = b.randomConstant("fc/w", 0.3f, 10, 128);
        int b3 = b.randomConstant("fc/b", 0.1f, 10);
        int logits = b.activation("logits", 1, 10);
        FullyConnectedOptionsT fo = new FullyConnectedOptionsT();
        fo.setFusedActivationFunction(ActivationFunctionType.NONE);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fo, new int[] {flat, w3, b3},
                logits);
        int probs = b.activation("probs", 1, 10);
        SoftmaxOptionsT so = new SoftmaxOptionsT();
        so.setBeta(1f);
        b.op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, so, new int[] {logits}, probs);
        b.io(new int[] {in}, new int[] {probs});
        return b.build();
    }

    /** A weight-dominated MLP: 256 -> FC 256 (RELU) -> FC 256 (RELU) -> FC 10 -> SOFTMAX. */
    public static byte[] mlp(long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        int x = b.activation("input", 1, 256);
        int prev = x;
        int prevWidth = 256;
        int[] widths = {256, 256, 10};
        for (int l = 0; l < widths.length; l++) {
            int w = b.randomConstant("fc" + l + "/w", (float) (1.0 / Math.sqrt(prevWidth)) * 1.7f, widths[l],
                    prevWidth);
            int bias = b.randomConstant("fc" + l + "/b", 0.05f, widths[l]);
            int out = b.activation("fc" + l + "/out", 1, widths[l]);
            FullyConnectedOptionsT fo = new FullyConnectedOptionsT();
            fo.setFusedActivationFunction(l < widths.length - 1 ? ActivationFunctionType.RELU
                    : ActivationFunctionType.NONE);
            b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, fo, new int[] {prev, w, bias},
                    out);
            prev = out;
            prevWidth = widths[l];
        }
        int probs = b.activation("probs", 1, 10);
        SoftmaxOptionsT so = new SoftmaxOptionsT();
        so.setBeta(1f);
        b.op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, so, new int[] {prev}, probs);
        b.io(new int[] {x}, new int[] {probs});
        return b.build();
    }

    /**
     * Exercises every other supported operator: CONV_2D 1x1 -> {HARD_SWISH, RELU} -> ADD -> MUL(const) -> {TANH,
     * LOGISTIC} -> CONCATENATION -> PAD -> MAX_POOL_2D -> MEAN -> FULLY_CONNECTED -> SOFTMAX. Input 8x8x2.
     */
    public static byte[] zoo(long seed) {
        GraphBuilder b = new GraphBuilder(seed);
        int in = b.activation("input", 1, 8, 8, 2);
        int w = b.randomConstant("conv/w", 1.0f, 8, 1, 1, 2);
        int bias = b.randomConstant("conv/b", 0.2f, 8);
        int c = b.activation("conv/out", 1, 8, 8, 8);
        Conv2DOptionsT co = new Conv2DOptionsT();
        co.setPadding(Padding.VALID);
        co.setStrideH(1);
        co.setStrideW(1);
        co.setDilationHFactor(1);
        co.setDilationWFactor(1);
        b.op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, co, new int[] {in, w, bias}, c);
        int h = b.activation("hswish", 1, 8, 8, 8);
        b.op(BuiltinOperator.HARD_SWISH, BuiltinOptions.NONE, null, new int[] {c}, h);
        int r = b.activation("relu", 1, 8, 8, 8);
        b.op(BuiltinOperator.RELU, BuiltinOptions.NONE, null, new int[] {c}, r);
        int a = b.activation("add", 1, 8, 8, 8);
        b.op(BuiltinOperator.ADD, BuiltinOptions.AddOptions, new AddOptionsT(), new int[] {h, r}, a);
        int k = b.randomConstant("mul/k", 1.0f, 8);
        int m = b.activation("mul", 1, 8, 8, 8);
        b.op(BuiltinOperator.MUL, BuiltinOptions.MulOptions, new MulOptionsT(), new int[] {a, k}, m);
        int t = b.activation("tanh", 1, 8, 8, 8);
        b.op(BuiltinOperator.TANH, BuiltinOptions.NONE, null, new int[] {m}, t);
        int s = b.activation("sigmoid", 1, 8, 8, 8);
        b.op(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, null, new int[] {m}, s);
        int cat = b.activation("concat", 1, 8, 8, 16);
        ConcatenationOptionsT cc = new ConcatenationOptionsT();
        cc.setAxis(3);
        b.op(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, cc, new int[] {t, s}, cat);
        int pads = b.intConstant("pad/paddings", new int[] {0, 0, 1, 1, 1, 1, 0, 0}, 4, 2);
        int p = b.activation("pad", 1, 10, 10, 16);
        b.op(BuiltinOperator.PAD, BuiltinOptions.PadOptions, new PadOptionsT(), new int[] {cat, pads}, p);
        int mp = b.activation("maxpool", 1, 5, 5, 16);
        Pool2DOptionsT po = new Pool2DOptionsT();
        po.setPadding(Padding.VALID);
        po.setStrideH(2);
        po.setStrideW(2);
        po.setFilterHeight(2);
        po.setFilterWidth(2);
        b.op(BuiltinOperator.MAX_POOL_2D, BuiltinOptions.Pool2DOptions, po, new int[] {p}, mp);
        int axes = b.intConstant("mean/axes", new int[] {1, 2}, 2);
        int mean = b.activation("mean", 1, 16);
        ReducerOptionsT ro = new ReducerOptionsT();
        ro.setKeepDims(false);
        b.op(BuiltinOperator.MEAN, BuiltinOptions.ReducerOptions, ro, new int[] {mp, axes}, mean);
        int fw = b.randomConstant("fc/w", 3.0f, 10, 16);
        int fb = b.randomConstant("fc/b", 0.1f, 10);
        int logits = b.activation("logits", 1, 10);
        b.op(BuiltinOperator.FULLY_CONNECTED, BuiltinOptions.FullyConnectedOptions, new FullyConnectedOptionsT(),
                new int[] {mean, fw, fb}, logits);
        int probs = b.activation("probs", 1, 10);
        SoftmaxOptionsT so = new SoftmaxOptionsT();
        so.setBeta(1f);
        b.op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, so, new int[] {logits}, probs);
        b.io(new int[] {in}, new int[] {probs});
        return b.build();
    }

    /** Random samples in [0, 1) with a smooth structure, labelled with random classes. */
    public static SampleSet samples(int count, long seed, int... shape) {
        Random r = new Random(seed);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        float[][] inputs = new float[count][size];
        int[] labels = new int[count];
        for (int s = 0; s < count; s++) {
            float phase = r.nextFloat() * 6.28f;
            float amp = 0.3f + r.nextFloat() * 0.7f;
            for (int i = 0; i < size; i++) {
                float v = 0.5f + 0.5f * amp * (float) Math.sin(phase + i * 0.37) + 0.1f * (r.nextFloat() - 0.5f);
                inputs[s][i] = Math.max(0f, Math.min(1f, v));
            }
            labels[s] = r.nextInt(10);
        }
        return new SampleSet(shape, inputs, labels);
    }
}
