package io.edgefleet.controlplane.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleBasedProfilePickerTest {
  private static final Set<String> CNN_OPS = Set.of("CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX");
  private final RuleBasedProfilePicker picker = new RuleBasedProfilePicker();

  private static HardwareProfile hw(AcceleratorInfo acc) {
    return new HardwareProfile("amd64", "test cpu", 4, 8L << 30, 10L << 30, List.of("avx2"), acc, "Linux", "2.19");
  }

  @Test
  void shouldPickFullInt8ForAnInt8OnlyAccelerator() {
    QuantizationPlan plan = picker.pick(hw(new AcceleratorInfo("npu", List.of("int8"))), Set.of("CONV_2D", "GELU"));

    assertThat(plan.mode()).isEqualTo("FULL_INT8");
    assertThat(plan.rationale()).contains("npu");
  }

  @Test
  void shouldPickFloat16ForAnFp16Gpu() {
    QuantizationPlan plan = picker.pick(hw(new AcceleratorInfo("gpu", List.of("FLOAT16", "FLOAT32"))), CNN_OPS);

    assertThat(plan.mode()).isEqualTo("FLOAT16");
  }

  @Test
  void shouldPickFullInt8OnCpuWhenEveryOpHasAnInt8Kernel() {
    QuantizationPlan plan = picker.pick(hw(AcceleratorInfo.none()), CNN_OPS);

    assertThat(plan.mode()).isEqualTo("FULL_INT8");
  }

  @Test
  void shouldFallBackToFloat16OnCpuWhenAnOpLacksAnInt8Kernel() {
    QuantizationPlan plan = picker.pick(hw(AcceleratorInfo.none()), Set.of("CONV_2D", "GELU"));

    assertThat(plan.mode()).isEqualTo("FLOAT16");
    assertThat(plan.rationale()).contains("GELU");
  }

  @Test
  void shouldTreatAnAcceleratorWithFloat32OnlyAsCpu() {
    QuantizationPlan plan = picker.pick(hw(new AcceleratorInfo("dsp", List.of("FLOAT32"))), CNN_OPS);

    assertThat(plan.mode()).isEqualTo("FULL_INT8");
    assertThat(plan.rationale()).startsWith("CPU");
  }

  @Test
  void shouldHashTheCanonicalModeTextSoEqualPlansShareABuild() {
    QuantizationPlan a = picker.pick(hw(new AcceleratorInfo("npu", List.of("INT8"))), CNN_OPS);
    QuantizationPlan b = picker.pick(hw(AcceleratorInfo.none()), CNN_OPS);

    assertThat(a.planHash()).isEqualTo(b.planHash())
        .isEqualTo(BuildKeys.sha256Hex("mode=FULL_INT8".getBytes(StandardCharsets.UTF_8)));
    assertThat(a.layerPrecisions()).isEmpty();
    assertThat(picker.pick(hw(AcceleratorInfo.none()), Set.of("GELU")).planHash()).isNotEqualTo(a.planHash());
  }
}
