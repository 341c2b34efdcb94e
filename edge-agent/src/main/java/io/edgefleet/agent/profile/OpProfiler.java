package io.edgefleet.agent.profile;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.runtime.XnnpackDelegate;
import io.edgefleet.schemas.events.OpTiming;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithoutDefaultDelegates;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TelemetryProfiler;
import org.bytedeco.tensorflowlite.TfLiteTelemetryProfilerStruct;
import org.bytedeco.tensorflowlite.TfLiteTelemetrySettings;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/**
 * Per-operator profile of a TFLite model through the runtime's own profiler.
 *
 * <p>The Java presets cannot subclass {@code tflite::Profiler}, but they map the telemetry profiler C struct
 * ({@code TfLiteTelemetryProfilerStruct}, function-pointer callbacks implemented here in Java) and
 * {@code MakeTfLiteTelemetryProfiler}, which wraps it in a {@code tflite::Profiler}. Attached to an interpreter it
 * receives:
 *
 * <ul>
 *   <li>for operators run by builtin kernels: begin/end of every operator invocation with the builtin name
 *       ({@code CONV_2D}) and the node index; the time between the two callbacks is measured here with
 *       {@link System#nanoTime()}, so it includes one native-to-Java upcall (about a microsecond);
 *   <li>for operators the XNNPACK delegate ran: one event per XNNPACK operator after each invocation with the time
 *       XNNPACK measured itself (whole microseconds) and its own operator name ({@code Convolution (NHWC, F32) IGEMM}).
 *       XNNPACK only measures when a profiler is attached <em>before</em> the delegate is applied, so the interpreter is
 *       built without delegates, the profiler attached, then the delegate applied.
 * </ul>
 *
 * <p>Each {@link #profile} builds a fresh interpreter for the model (the serving interpreter is never touched, its
 * latency figures stay clean), runs two unrecorded warm-up inferences, records {@code runs} inferences and releases
 * everything again. One instance keeps a single native profiler for its whole life: the runtime offers no way to
 * delete the {@code TelemetryProfiler} wrapper it allocates (a few bytes, once per instance); the callbacks and the
 * struct are released by {@link #close()}. Not thread-safe beyond the {@code synchronized} methods.
 */
public final class OpProfiler implements AutoCloseable {
  private static final int K_OK = 0;
  private static final int WARMUP_RUNS = 2;
  private static final int TYPE_FLOAT32 = 1;
  private static final int TYPE_UINT8 = 3;
  private static final int TYPE_INT16 = 7;
  private static final int TYPE_INT8 = 9;
  /** TfLiteXNNPackDelegateOptions of TFLite 2.19: int32 num_threads @0, uint32 flags @4, zero defaults after. */

  /** One operator execution reported during an inference. */
  private record Event(boolean delegated, int index, String op, double micros) {}

  private final Clock clock;
  private final TfLiteTelemetryProfilerStruct struct;
  private final List<Pointer> callbacks = new ArrayList<>();
  private final TelemetryProfiler profiler;

  // written by the callbacks, which run on the thread inside Invoke() (the caller of profile())
  private final List<Event> events = new ArrayList<>();
  private long[] beginNanos = new long[64];
  private String[] beginOp = new String[64];
  private int[] beginIndex = new int[64];
  private int handles;
  private Throwable callbackFailure;
  private boolean closed;

  public OpProfiler(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    Loader.load(tensorflowlite.class);
    struct = new TfLiteTelemetryProfilerStruct();
    // every callback must be set: the wrapper calls them without null checks (e.g. a telemetry event per Invoke)
    struct.ReportBeginOpInvokeEvent(keep(new BeginOp()));
    struct.ReportEndOpInvokeEvent(keep(new EndOp()));
    struct.ReportOpInvokeEvent(keep(new DelegateOp()));
    struct.ReportTelemetryEvent(keep(new IgnoredTelemetryEvent()));
    struct.ReportTelemetryOpEvent(keep(new IgnoredTelemetryOpEvent()));
    struct.ReportSettings(keep(new IgnoredSettings()));
    profiler = tensorflowlite.MakeTfLiteTelemetryProfiler(struct);
    if (profiler == null || profiler.isNull()) {
      throw new AgentException(AgentErrorCode.PROFILE_FAILED, "the TFLite runtime created no telemetry profiler");
    }
  }

  private <P extends Pointer> P keep(P callback) {
    callbacks.add(callback);
    return callback;
  }

  /**
   * Profiles {@code model}.
   *
   * @param inputs float samples fed round-robin (quantized on the way in for integer inputs)
   * @param threads interpreter threads, as served
   * @param runs recorded inferences (>= 1)
   * @throws AgentException {@link AgentErrorCode#PROFILE_FAILED} if the model cannot be built or run
   */
  public synchronized OpProfile profile(
      String buildKey, byte[] model, float[][] inputs, int threads, ProfileKernels kernels, int runs) {
    if (closed) {
      throw new IllegalStateException("profiler closed");
    }
    if (runs < 1 || inputs.length == 0) {
      throw new IllegalArgumentException("need runs >= 1 and at least one input, got " + runs + " runs, " + inputs.length + " inputs");
    }
    BytePointer data = new BytePointer(model.length);
    FlatBufferModel flatBuffer = null;
    BuiltinOpResolverWithoutDefaultDelegates resolver = null;
    InterpreterBuilder builder = null;
    Interpreter interpreter = null;
    XnnpackDelegate xnnpack = null;
    try {
      data.put(model);
      flatBuffer = FlatBufferModel.VerifyAndBuildFromBuffer(data, model.length);
      if (flatBuffer == null || flatBuffer.isNull()) {
        throw failed("the TFLite runtime rejected the flatbuffer");
      }
      resolver = new BuiltinOpResolverWithoutDefaultDelegates();
      builder = new InterpreterBuilder(flatBuffer, resolver);
      check(builder.SetNumThreads(threads), "set the number of threads");
      interpreter = new Interpreter((Pointer) null);
      check(builder.apply(interpreter), "build the interpreter");
      if (interpreter.isNull()) {
        throw failed("the TFLite runtime built no interpreter");
      }
      // before the delegate: XNNPACK enables its per-operator timing only when it finds a profiler at delegation
      interpreter.SetProfiler(profiler);
      if (kernels == ProfileKernels.SERVING) {
        try {
          xnnpack = XnnpackDelegate.create(threads);
        } catch (QuantizationException e) {
          throw new AgentException(AgentErrorCode.PROFILE_FAILED, "cannot create the XNNPACK delegate: "
              + e.getMessage(), e);
        }
        check(interpreter.ModifyGraphWithDelegate(xnnpack.delegate()), "apply the XNNPACK delegate");
      }
      check(interpreter.AllocateTensors(), "allocate tensors");
      int steps = executionSteps(interpreter);
      int inputIndex = interpreter.inputs().get(0);
      Map<String, double[]> perOp = new LinkedHashMap<>();
      Map<String, Event> firstSeen = new LinkedHashMap<>();
      double[] whole = new double[runs];
      for (int run = 0; run < WARMUP_RUNS + runs; run++) {
        write(interpreter.tensor(inputIndex), inputs[run % inputs.length]);
        events.clear();
        handles = 0;
        callbackFailure = null;
        long start = System.nanoTime();
        int status = interpreter.Invoke();
        long nanos = System.nanoTime() - start;
        if (callbackFailure != null) {
          throw new AgentException(AgentErrorCode.PROFILE_FAILED, "profiler callback failed: " + callbackFailure, callbackFailure);
        }
        check(status, "invoke the model");
        int recorded = run - WARMUP_RUNS;
        if (recorded < 0) {
          continue;
        }
        whole[recorded] = nanos / 1000.0;
        for (Event e : events) {
          String key = (e.delegated() ? "d:" : "b:") + e.index() + ":" + e.op();
          firstSeen.putIfAbsent(key, e);
          double[] times = perOp.computeIfAbsent(key, k -> new double[runs]);
          // an operator that runs several times per inference (e.g. inside a loop) adds up within the run
          times[recorded] += e.micros();
        }
      }
      if (perOp.isEmpty()) {
        throw failed("the runtime reported no operator events (" + steps + " execution steps)");
      }
      double total = perOp.values().stream().flatMapToDouble(Arrays::stream).sum();
      List<OpTiming> ops = new ArrayList<>();
      for (Map.Entry<String, double[]> entry : perOp.entrySet()) {
        Event e = firstSeen.get(entry.getKey());
        double[] times = entry.getValue();
        double sum = Arrays.stream(times).sum();
        ops.add(new OpTiming(e.index(), e.op(), median(times), sum / runs, total > 0 ? Math.min(1.0, sum / total) : 0.0, runs));
      }
      return new OpProfile(buildKey, kernels, runs, steps, median(whole), Arrays.stream(whole).average().orElse(0), ops,
          clock.instant());
    } finally {
      events.clear();
      // the interpreter references the profiler and the delegate: release it first, the delegate after it
      release(interpreter, builder, resolver, flatBuffer, data);
      if (xnnpack != null) {
        xnnpack.close();
      }
    }
  }

  private static int executionSteps(Interpreter interpreter) {
    IntPointer plan = interpreter.execution_plan();
    long n = plan.limit() - plan.position();
    return (int) (n > 0 ? n : plan.capacity());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void write(TfLiteTensor t, float[] input) {
    BytePointer raw = t.data().raw();
    if (raw == null || raw.isNull()) {
      throw failed("input tensor has no allocated data");
    }
    raw.capacity(t.bytes());
    ByteBuffer bb = raw.asByteBuffer().order(ByteOrder.nativeOrder());
    int type = t.type();
    int elements = (int) (t.bytes() / (type == TYPE_FLOAT32 ? 4 : type == TYPE_INT16 ? 2 : 1));
    if (input.length != elements) {
      throw failed("sample has " + input.length + " values, the model input " + elements);
    }
    float scale = t.params().scale();
    int zp = t.params().zero_point();
    if (type == TYPE_FLOAT32) {
      bb.asFloatBuffer().put(input);
    } else if (type == TYPE_INT8) {
      for (int i = 0; i < input.length; i++) {
        bb.put(i, (byte) quantize(input[i], scale, zp, -128, 127));
      }
    } else if (type == TYPE_UINT8) {
      for (int i = 0; i < input.length; i++) {
        bb.put(i, (byte) quantize(input[i], scale, zp, 0, 255));
      }
    } else if (type == TYPE_INT16) {
      for (int i = 0; i < input.length; i++) {
        bb.putShort(i * 2, (short) quantize(input[i], scale, zp, -32768, 32767));
      }
    } else {
      throw failed("unsupported input tensor type " + type);
    }
  }

  private static int quantize(float v, float scale, int zp, int min, int max) {
    if (!Float.isFinite(v)) {
      throw failed("input contains " + v);
    }
    double r = (double) v / scale;
    long q = (r < 0 ? -(long) Math.floor(-r + 0.5) : (long) Math.floor(r + 0.5)) + zp;
    return (int) Math.max(min, Math.min(max, q));
  }

  private static void check(int status, String action) {
    if (status != K_OK) {
      throw failed("cannot " + action + " (TfLiteStatus " + status + ")");
    }
  }

  private static AgentException failed(String message) {
    return new AgentException(AgentErrorCode.PROFILE_FAILED, message);
  }

  private static void release(Pointer... pointers) {
    for (Pointer p : pointers) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static String text(BytePointer p) {
    return p == null || p.isNull() ? "?" : p.getString();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      struct.close();
      callbacks.forEach(Pointer::close);
    }
  }

  // --- callbacks (run inside Invoke(); an exception must not cross into native code: kept and rethrown after it) ---

  private final class BeginOp
      extends TfLiteTelemetryProfilerStruct.ReportBeginOpInvokeEvent_TfLiteTelemetryProfilerStruct_BytePointer_long_long {
    @Override
    public int call(TfLiteTelemetryProfilerStruct self, BytePointer op, long opIndex, long subgraph) {
      try {
        int h = handles++;
        if (h == beginNanos.length) {
          beginNanos = Arrays.copyOf(beginNanos, h * 2);
          beginOp = Arrays.copyOf(beginOp, h * 2);
          beginIndex = Arrays.copyOf(beginIndex, h * 2);
        }
        beginOp[h] = text(op);
        beginIndex[h] = (int) opIndex;
        beginNanos[h] = System.nanoTime();
        return h;
      } catch (RuntimeException | Error e) {
        callbackFailure = e;
        return -1;
      }
    }
  }

  private final class EndOp extends TfLiteTelemetryProfilerStruct.ReportEndOpInvokeEvent_TfLiteTelemetryProfilerStruct_int {
    @Override
    public void call(TfLiteTelemetryProfilerStruct self, int handle) {
      long now = System.nanoTime();
      try {
        if (handle >= 0 && handle < handles) {
          events.add(new Event(false, beginIndex[handle], beginOp[handle], (now - beginNanos[handle]) / 1000.0));
        }
      } catch (RuntimeException | Error e) {
        callbackFailure = e;
      }
    }
  }

  private final class DelegateOp
      extends TfLiteTelemetryProfilerStruct.ReportOpInvokeEvent_TfLiteTelemetryProfilerStruct_BytePointer_long_long_long {
    @Override
    public void call(TfLiteTelemetryProfilerStruct self, BytePointer op, long elapsedMicros, long opIndex, long subgraph) {
      try {
        events.add(new Event(true, (int) opIndex, text(op), elapsedMicros));
      } catch (RuntimeException | Error e) {
        callbackFailure = e;
      }
    }
  }

  /** Status events ("Invoke" succeeded, ...): not timings. */
  private static final class IgnoredTelemetryEvent
      extends TfLiteTelemetryProfilerStruct.ReportTelemetryEvent_TfLiteTelemetryProfilerStruct_BytePointer_long {
    @Override
    public void call(TfLiteTelemetryProfilerStruct self, BytePointer event, long status) {}
  }

  private static final class IgnoredTelemetryOpEvent
      extends TfLiteTelemetryProfilerStruct.ReportTelemetryOpEvent_TfLiteTelemetryProfilerStruct_BytePointer_long_long_long {
    @Override
    public void call(TfLiteTelemetryProfilerStruct self, BytePointer event, long opIndex, long subgraph, long status) {}
  }

  private static final class IgnoredSettings
      extends TfLiteTelemetryProfilerStruct.ReportSettings_TfLiteTelemetryProfilerStruct_BytePointer_TfLiteTelemetrySettings {
    @Override
    public void call(TfLiteTelemetryProfilerStruct self, BytePointer setting, TfLiteTelemetrySettings settings) {}
  }
}
