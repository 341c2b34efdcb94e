package io.edgefleet.agent.testing;

import io.edgefleet.quantization.model.TfliteModel;
import io.edgefleet.quantization.runtime.TfliteRunner;
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
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A real, tiny float32 TFLite classifier built with the schema classes (input [1,8], one FULLY_CONNECTED layer to 4
 * classes), plus evaluation samples labelled with its own predictions and its float outputs as reference.
 */
public final class TinyModels {
  public static final int INPUTS = 8;
  public static final int CLASSES = 4;

  private TinyModels() {}

  /** A float FC classifier with seeded random weights. */
  public static byte[] classifier(long seed) {
    Random r = new Random(seed);
    float[] w = new float[CLASSES * INPUTS];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextFloat() * 2 - 1;
    }
    float[] b = new float[CLASSES];
    for (int i = 0; i < b.length; i++) {
      b[i] = (r.nextFloat() - 0.5f) * 0.1f;
    }
    BufferT sentinel = new BufferT();
    TensorT in = tensor("input", new int[] {1, INPUTS}, 0);
    TensorT weights = tensor("w", new int[] {CLASSES, INPUTS}, 1);
    TensorT bias = tensor("b", new int[] {CLASSES}, 2);
    TensorT out = tensor("logits", new int[] {1, CLASSES}, 0);
    OperatorCodeT code = new OperatorCodeT();
    code.setBuiltinCode(BuiltinOperator.FULLY_CONNECTED);
    code.setDeprecatedBuiltinCode((byte) BuiltinOperator.FULLY_CONNECTED);
    code.setVersion(1);
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(0);
    op.setInputs(new int[] {0, 1, 2});
    op.setOutputs(new int[] {3});
    BuiltinOptionsUnion options = new BuiltinOptionsUnion();
    options.setType(BuiltinOptions.FullyConnectedOptions);
    options.setValue(new FullyConnectedOptionsT());
    op.setBuiltinOptions(options);
    SubGraphT g = new SubGraphT();
    g.setTensors(new TensorT[] {in, weights, bias, out});
    g.setOperators(new OperatorT[] {op});
    g.setInputs(new int[] {0});
    g.setOutputs(new int[] {3});
    g.setName("main");
    ModelT m = new ModelT();
    m.setVersion(3);
    m.setDescription("edge-agent test classifier");
    m.setSubgraphs(new SubGraphT[] {g});
    m.setBuffers(new BufferT[] {sentinel, buffer(w), buffer(b)});
    m.setOperatorCodes(new OperatorCodeT[] {code});
    return TfliteModel.serialize(m);
  }

  /** {@code count} random inputs in [0,1), labelled with the model's own top-1 (accuracy 1.0 on the float model). */
  public static SampleSet evalSet(byte[] model, int count, long seed) {
    Random r = new Random(seed);
    float[][] inputs = new float[count][INPUTS];
    for (float[] x : inputs) {
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
    }
    SampleSet unlabelled = new SampleSet(new int[] {INPUTS}, inputs, null);
    float[][] outputs = outputs(model, unlabelled);
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = argmax(outputs[i]);
    }
    return new SampleSet(new int[] {INPUTS}, inputs, labels);
  }

  /** The model's float outputs on the samples as a float32 .efs without labels (the "reference outputs"). */
  public static byte[] referenceEfs(byte[] model, SampleSet samples) {
    return SampleSetCodec.write(new SampleSet(new int[] {CLASSES}, outputs(model, samples), null));
  }

  /** Reference outputs whose top-1 never matches the model's (forces a smoke-test failure). */
  public static byte[] disagreeingReferenceEfs(byte[] model, SampleSet samples) {
    float[][] outputs = outputs(model, samples);
    float[][] shifted = new float[outputs.length][CLASSES];
    for (int i = 0; i < outputs.length; i++) {
      int top = argmax(outputs[i]);
      shifted[i][(top + 1) % CLASSES] = 1f;
    }
    return SampleSetCodec.write(new SampleSet(new int[] {CLASSES}, shifted, null));
  }

  public static byte[] efs(SampleSet set) {
    return SampleSetCodec.write(set);
  }

  private static float[][] outputs(byte[] model, SampleSet samples) {
    try (TfliteRunner runner = TfliteRunner.load(model, 1)) {
      return runner.inferAll(samples);
    }
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
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
    for (int i = 0; i < data.length; i++) {
      data[i] = bb.get(i) & 0xff;
    }
    BufferT b = new BufferT();
    b.setData(data);
    return b;
  }
}
