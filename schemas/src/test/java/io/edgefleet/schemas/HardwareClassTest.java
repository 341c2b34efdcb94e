package io.edgefleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareClassTest {

  private static HardwareProfile hw(List<String> flags, long ram, AcceleratorInfo acc) {
    return new HardwareProfile("amd64", "cpu", 2, ram, 10L << 30, flags, acc, "Linux", "2.19.0");
  }

  @Test
  void shouldIgnoreFlagOrderCaseAndIrrelevantFlags() {
    String a = HardwareClass.of(hw(List.of("avx2", "fma", "pse", "sse4_2"), 24L << 30, null));
    String b = HardwareClass.of(hw(List.of("SSE4_2", "tsc", "FMA", "avx2"), 17L << 30, AcceleratorInfo.none()));

    assertThat(a).isEqualTo(b).startsWith("hc-").hasSize(19);
  }

  @Test
  void shouldSeparateClassesThatNeedDifferentKernels() {
    String base = HardwareClass.of(hw(List.of("avx2"), 8L << 30, null));

    assertThat(HardwareClass.of(hw(List.of("avx2", "avx512_vnni"), 8L << 30, null))).isNotEqualTo(base);
    assertThat(HardwareClass.of(hw(List.of("avx2"), 8L << 30, new AcceleratorInfo("npu", List.of("INT8"))))).isNotEqualTo(base);
    assertThat(HardwareClass.of(hw(List.of("avx2"), 2L << 30, null))).isNotEqualTo(base);
  }
}
