package io.edgefleet.demo;

import java.util.List;

/**
 * A simulated device of the demo fleet: a real agent process on this host that declares an accelerator class it does
 * not physically have (so that the control plane picks different builds per hardware class). Inference runs for real
 * on this host's CPU in the TFLite runtime.
 *
 * @param acceleratorType {@code none}, {@code npu}, {@code gpu}
 * @param acceleratorPrecisions precisions the declared accelerator accepts
 */
record DemoDevice(String deviceId, String site, String acceleratorType, List<String> acceleratorPrecisions) {

  private static final List<DemoDevice> PROTOTYPES =
      List.of(
          new DemoDevice("cpu", "lab", "none", List.of()),
          new DemoDevice("npu", "store", "npu", List.of("INT8")),
          new DemoDevice("gpu", "depot", "gpu", List.of("FLOAT16", "FLOAT32")));

  /** {@code count} devices cycling through a CPU-only, an int8-only NPU and an fp16 GPU class. */
  static List<DemoDevice> fleet(int count) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> {
          DemoDevice p = PROTOTYPES.get(i % PROTOTYPES.size());
          return new DemoDevice(String.format("edge-%s-%02d", p.deviceId(), i + 1), p.site(), p.acceleratorType(), p.acceleratorPrecisions());
        })
        .toList();
  }
}
