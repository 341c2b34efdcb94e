package io.edgefleet.controlplane.testing;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
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
 * A small real float32 TFLite classifier (FULLY_CONNECTED 16→4 + SOFTMAX) built with the TFLite schema classes, and
 * matching sample sets, for tests that must not depend on the fixtures module.
 */
public final class TinyModels {
  public static final int FEATURES = 16;
  public static final int CLASSES = 4;

  private TinyModels() {}

  public static byte[] classifier(long seed) {
    Random r = new Random(seed);
    BufferT sentinel = new BufferT();
    float[] w = new float[CLASSES * FEATURES];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextFloat() * 2 - 1;
    }
    float[] b = new float[CLASSES];
    TensorT input = tensor("input", new int[] {1, FEATURES}, 0);
    TensorT weights = tensor("weights", new int[] {CLASSES, FEATURES}, 1);
    TensorT bias = tensor("bias", new int[] {CLASSES}, 2);
    TensorT logits = tensor("logits", new int[] {1, CLASSES}, 0);
    TensorT probs = tensor("probs", new int[] {1, CLASSES}, 0);

    OperatorCodeT fc = code(BuiltinOperator.FULLY_CONNECTED);
    OperatorCodeT softmax = code(BuiltinOperator.SOFTMAX);
    FullyConnectedOptionsT fcOptions = new FullyConnectedOptionsT();
    SoftmaxOptionsT smOptions = new SoftmaxOptionsT();
    smOptions.setBeta(1f);
    OperatorT op1 = op(0, new int[] {0, 1, 2}, new int[] {3}, BuiltinOptions.FullyConnectedOptions, fcOptions);
    OperatorT op2 = op(1, new int[] {3}, new int[] {4}, BuiltinOptions.SoftmaxOptions, smOptions);

    SubGraphT g = new SubGraphT();
    g.setTensors(new TensorT[] {input, weights, bias, logits, probs});
    g.setOperators(new OperatorT[] {op1, op2});
    g.setInputs(new int[] {0});
    g.setOutputs(new int[] {4});
    g.setName("main");
    ModelT m = new ModelT();
    m.setVersion(3);
    m.setDescription("control-plane test classifier");
    m.setSubgraphs(new SubGraphT[] {g});
    m.setBuffers(new BufferT[] {sentinel, buffer(w), buffer(b)});
    m.setOperatorCodes(new OperatorCodeT[] {fc, softmax});
    return TfliteModel.serialize(m);
  }

  /** {@code count} random samples of shape [FEATURES], labelled if asked. */
  public static byte[] samples(int count, boolean labelled, long seed) {
    Random r = new Random(seed);
    float[][] inputs = new float[count][FEATURES];
    int[] labels = labelled ? new int[count] : null;
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < FEATURES; j++) {
        inputs[i][j] = r.nextFloat();
      }
      if (labelled) {
        labels[i] = r.nextInt(CLASSES);
      }
    }
    return SampleSetCodec.write(new SampleSet(new int[] {FEATURES}, inputs, labels));
  }

  private static TensorT tensor(String name, int[] shape, int buffer) {
    TensorT t = new TensorT();
    t.setName(name);
    t.setType(TensorType.FLOAT32);
    t.setShape(shape);
    t.setBuffer(buffer);
    return t;
  }

  private static BufferT buffer(float[] values) {
    ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bb.putFloat(v);
    }
    int[] data = new int[values.length * 4];
    byte[] raw = bb.array();
    for (int i = 0; i < raw.length; i++) {
      data[i] = raw[i] & 0xff;
    }
    BufferT b = new BufferT();
    b.setData(data);
    return b;
  }

  private static OperatorCodeT code(int builtin) {
    OperatorCodeT c = new OperatorCodeT();
    c.setBuiltinCode(builtin);
    c.setDeprecatedBuiltinCode((byte) builtin);
    c.setVersion(1);
    return c;
  }

  private static OperatorT op(int code, int[] in, int[] out, byte optionsType, Object options) {
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(code);
    op.setInputs(in);
    op.setOutputs(out);
    BuiltinOptionsUnion u = new BuiltinOptionsUnion();
    u.setType(optionsType);
    u.setValue(options);
    op.setBuiltinOptions(u);
    return op;
  }
}
