package io.edgefleet.controlplane.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.hardware.HardwareCapabilities;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareProfile;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HardwareMappingTest {

  @Test
  void shouldBoundAClassByItsSmallestDevice() {
    HardwareCapabilities c = HardwareMapping.capabilities("hc-1", List.of(
        hw("none", List.of(), 8L << 30, 64L << 30), hw("none", List.of(), 6L << 30, 16L << 30)));

    assertThat(c.ramBytes()).isEqualTo(6L << 30);
    assertThat(c.storageBytes()).isEqualTo(16L << 30);
    assertThat(c.acceleratorType()).isEqualTo(HardwareCapabilities.NONE);
    assertThat(c.cpuFeatures()).containsExactly("asimddp", "neon");
  }

  @Test
  void shouldMapDeclaredAcceleratorsAndPrecisions() {
    assertThat(HardwareMapping.capabilities("hc-npu", List.of(hw("NPU", List.of("UINT8", "INT8"), 1L << 30, 1L << 30)))
        .acceleratorPrecisions()).containsExactly(Precision.INT8);
    HardwareCapabilities tpu = HardwareMapping.capabilities("hc-tpu",
        List.of(hw("edge-tpu", List.of(), 1L << 30, 1L << 30)));
    assertThat(tpu.acceleratorType()).isEqualTo(HardwareCapabilities.EDGETPU);
    assertThat(HardwareMapping.capabilities("hc-gpu", List.of(hw("gpu", List.of("FP16", "FLOAT32"), 1L << 30,
        1L << 30))).acceleratorPrecisions()).isEqualTo(Set.of(Precision.FLOAT16, Precision.FLOAT32));
  }

  @Test
  void shouldRefuseAcceleratorsThePlannerHasNoRuleFor() {
    assertThatThrownBy(() -> HardwareMapping.capabilities("hc-dsp", List.of(hw("dsp", List.of(), 1, 1))))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.HARDWARE_UNSUPPORTED))
        .hasMessageContaining("hc-dsp").hasMessageContaining("'dsp'");
    assertThatThrownBy(() -> HardwareMapping.capabilities("hc-x", List.of(hw("npu", List.of("BF16"), 1, 1))))
        .hasMessageContaining("'BF16'");
    assertThatThrownBy(() -> HardwareMapping.capabilities("hc-none", List.of()))
        .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.code())
            .isEqualTo(ErrorCode.HARDWARE_CLASS_NOT_FOUND));
  }

  private static HardwareProfile hw(String accelerator, List<String> precisions, long ram, long storage) {
    return new HardwareProfile("aarch64", "Cortex-A76", 4, ram, storage, List.of("NEON", "asimddp"),
        new AcceleratorInfo(accelerator, precisions), "Linux 6", "2.19");
  }
}
