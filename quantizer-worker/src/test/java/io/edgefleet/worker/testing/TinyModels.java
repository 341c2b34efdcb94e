package io.edgefleet.worker.testing;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
import io.edgefleet.quantization.samples.SampleSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A small float32 classifier built with the TFLite schema classes (input 1x28x28x1 in [0,1], 10 classes: RESHAPE ->
 * FC 64 RELU -> FC 10 -> SOFTMAX, seeded random weights), and sample sets labelled by the float model itself, for
 * tests that need a real model without the trained fixtures.
 */
public final class TinyModels {
  private static final int PIXELS = 28 * 28;

  private TinyModels() {}

  /** The float model. */
  public static byte[] classifier(long seed) {
    Random r = new Random(seed);
    List<TensorT> tensors = new ArrayList<>();
    List<BufferT> buffers = new ArrayList<>();
    buffers.add(new BufferT());
    int input = tensor(tensors, buffers, "input", TensorType.FLOAT32, new int[] {1, 28, 28, 1}, null);
    int shape = tensor(tensors, buffers, "flat/shape", TensorType.INT32, new int[] {2}, ints(1, PIXELS));
    int flat = tensor(tensors, buffers, "flat", TensorType.FLOAT32, new int[] {1, PIXELS}, null);
    int w1 = tensor(tensors, buffers, "fc1/w", TensorType.FLOAT32, new int[] {64, PIXELS}, floats(r, 64 * PIXELS, 0.09f));
    int b1 = tensor(tensors, buffers, "fc1/b", TensorType.FLOAT32, new int[] {64}, floats(r, 64, 0.05f));
    int h1 = tensor(tensors, buffers, "fc1/out", TensorType.FLOAT32, new int[] {1, 64}, null);
    int w2 = tensor(tensors, buffers, "fc2/w", TensorType.FLOAT32, new int[] {10, 64}, floats(r, 640, 0.25f));
    int b2 = tensor(tensors, buffers, "fc2/b", TensorType.FLOAT32, new int[] {10}, floats(r, 10, 0.05f));
    int logits = tensor(tensors, buffers, "fc2/out", TensorType.FLOAT32, new int[] {1, 10}, null);
    int probs = tensor(tensors, buffers, "probs", TensorType.FLOAT32, new int[] {1, 10}, null);

    OperatorCodeT reshape = code(BuiltinOperator.RESHAPE);
    OperatorCodeT fc = code(BuiltinOperator.FULLY_CONNECTED);
    OperatorCodeT softmax = code(BuiltinOperator.SOFTMAX);
    FullyConnectedOptionsT relu = new FullyConnectedOptionsT();
    relu.setFusedActivationFunction(ActivationFunctionType.RELU);
    FullyConnectedOptionsT linear = new FullyConnectedOptionsT();
    linear.setFusedActivationFunction(ActivationFunctionType.NONE);
    SoftmaxOptionsT so = new SoftmaxOptionsT();
    so.setBeta(1f);

    SubGraphT g = new SubGraphT();
    g.setTensors(tensors.toArray(new TensorT[0]));
    g.setOperators(
        new OperatorT[] {
          op(0, BuiltinOptions.NONE, null, new int[] {input, shape}, flat),
          op(1, BuiltinOptions.FullyConnectedOptions, relu, new int[] {flat, w1, b1}, h1),
          op(1, BuiltinOptions.FullyConnectedOptions, linear, new int[] {h1, w2, b2}, logits),
          op(2, BuiltinOptions.SoftmaxOptions, so, new int[] {logits}, probs)
        });
    g.setInputs(new int[] {input});
    g.setOutputs(new int[] {probs});
    g.setName("main");
    ModelT m = new ModelT();
    m.setVersion(3);
    m.setDescription("quantizer-worker test classifier");
    m.setSubgraphs(new SubGraphT[] {g});
    m.setBuffers(buffers.toArray(new BufferT[0]));
    m.setOperatorCodes(new OperatorCodeT[] {reshape, fc, softmax});
    return TfliteModel.serialize(m);
  }

  /** {@code count} smooth random images in [0,1], labelled with the float model's top-1 class. */
  public static SampleSet samples(byte[] floatModel, int count, long seed) {
    Random r = new Random(seed);
    float[][] inputs = new float[count][PIXELS];
    for (int s = 0; s < count; s++) {
      float phase = r.nextFloat() * 6.28f;
      float freq = 0.05f + r.nextFloat() * 0.4f;
      for (int i = 0; i < PIXELS; i++) {
        float v = 0.5f + 0.45f * (float) Math.sin(phase + i * freq) + 0.1f * (r.nextFloat() - 0.5f);
        inputs[s][i] = Math.max(0f, Math.min(1f, v));
      }
    }
    int[] labels = new int[count];
    SampleSet unlabelled = new SampleSet(new int[] {28, 28, 1}, inputs, null);
    try (TfliteRunner runner = TfliteRunner.load(floatModel, 1)) {
      float[][] out = runner.inferAll(unlabelled);
      for (int s = 0; s < count; s++) {
        labels[s] = argmax(out[s]);
      }
    }
    return new SampleSet(new int[] {28, 28, 1}, inputs, labels);
  }

  public static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int tensor(List<TensorT> tensors, List<BufferT> buffers, String name, byte type, int[] shape, byte[] data) {
    TensorT t = new TensorT();
    t.setName(name);
    t.setType(type);
    t.setShape(shape);
    if (data == null) {
      t.setBuffer(0);
    } else {
      BufferT b = new BufferT();
      int[] d = new int[data.length];
      for (int i = 0; i < data.length; i++) {
        d[i] = data[i] & 0xff;
      }
      b.setData(d);
      buffers.add(b);
      t.setBuffer(buffers.size() - 1);
    }
    tensors.add(t);
    return tensors.size() - 1;
  }

  private static OperatorCodeT code(int builtin) {
    OperatorCodeT c = new OperatorCodeT();
    c.setBuiltinCode(builtin);
    c.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
    c.setVersion(1);
    return c;
  }

  private static OperatorT op(int code, byte optionsType, Object options, int[] in, int out) {
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(code);
    op.setInputs(in);
    op.setOutputs(new int[] {out});
    BuiltinOptionsUnion u = new BuiltinOptionsUnion();
    u.setType(optionsType);
    u.setValue(options);
    op.setBuiltinOptions(u);
    return op;
  }

  private static byte[] floats(Random r, int n, float scale) {
    ByteBuffer bb = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      bb.putFloat((r.nextFloat() * 2 - 1) * scale);
    }
    return bb.array();
  }

  private static byte[] ints(int... values) {
    ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      bb.putInt(v);
    }
    return bb.array();
  }
}
