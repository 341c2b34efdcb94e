package io.edgefleet.planner.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HardwareConstraintsTest {
    private static final long GIB = 1L << 30;

    @Test
    void shouldAllowOnlyInt8OnInt8OnlyAccelerators() {
        HardwareCapabilities tpu = new HardwareCapabilities("aarch64", Set.of("asimd"), 4, GIB, 8 * GIB,
                "EdgeTPU", Set.of());
        assertThat(HardwareConstraints.derive(tpu).allowedPrecisions()).containsExactly(Precision.INT8);
        HardwareCapabilities npu = new HardwareCapabilities("aarch64", Set.of(), 4, GIB, 8 * GIB, "npu", Set.of());
        assertThat(HardwareConstraints.derive(npu).allowedPrecisions()).containsExactly(Precision.INT8);
        HardwareCapabilities npu16 = new HardwareCapabilities("aarch64", Set.of(), 4, GIB, 8 * GIB, "npu",
                Set.of(Precision.INT8, Precision.INT16X8));
        assertThat(HardwareConstraints.derive(npu16).allowedPrecisions())
                .containsExactlyInAnyOrder(Precision.INT8, Precision.INT16X8);
    }

    @Test
    void shouldAllowFloatOnFp16GpuDelegate() {
        HardwareCapabilities gpu = new HardwareCapabilities("aarch64", Set.of(), 8, 4 * GIB, 64 * GIB, "gpu", null);
        HardwareBudget budget = HardwareConstraints.derive(gpu);
        assertThat(budget.allowedPrecisions()).containsExactlyInAnyOrder(Precision.FLOAT16, Precision.FLOAT32);
        assertThat(budget.rationale()).contains("gpu");
    }

    @Test
    void shouldAllowEveryPrecisionOnlyOnCpusWithDotProduct() {
        HardwareCapabilities vnni = HardwareCapabilities.cpu("x86_64", Set.of("AVX2", "avx512_vnni"), 2, GIB, GIB);
        assertThat(HardwareConstraints.derive(vnni).allowedPrecisions()).containsExactlyInAnyOrder(
                Precision.values());
        HardwareCapabilities plain = HardwareCapabilities.cpu("armv7l", Set.of("neon", "vfpv4"), 4, GIB, GIB);
        assertThat(HardwareConstraints.derive(plain).allowedPrecisions())
                .doesNotContain(Precision.INT4_WEIGHTS).contains(Precision.INT8, Precision.FLOAT32);
    }

    @Test
    void shouldBudgetTheSmallerOfStorageAndRamShares() {
        HardwareCapabilities device = HardwareCapabilities.cpu("aarch64", Set.of("asimddp"), 4, 400_000_000L,
                2_000_000_000L);
        HardwareBudget budget = HardwareConstraints.derive(device);
        assertThat(budget.maxModelBytes()).isEqualTo(100_000_000L); // min(0.10 × 2 GB, 0.25 × 400 MB)
        HardwareBudget storageBound = HardwareConstraints.derive(device, new HardwarePolicy(0.01, 0.5));
        assertThat(storageBound.maxModelBytes()).isEqualTo(20_000_000L);
        assertThat(storageBound.rationale()).contains("20000000 B");
    }

    @Test
    void shouldNarrowExistingConstraints() {
        HardwareBudget budget = HardwareConstraints.derive(new HardwareCapabilities("aarch64", Set.of(), 4,
                400_000_000L, 2_000_000_000L, "npu", Set.of(Precision.INT8, Precision.INT16X8)));
        PlanConstraints narrowed = budget.applyTo(PlanConstraints.unconstrained()
                .withAllowedPrecisions(EnumSet.of(Precision.INT8, Precision.FLOAT32)).withMaxSizeBytes(5_000_000L));
        assertThat(narrowed.allowedPrecisions()).containsExactly(Precision.INT8);
        assertThat(narrowed.maxSizeBytes()).isEqualTo(5_000_000L);
        PlanConstraints fromNothing = budget.applyTo(PlanConstraints.unconstrained());
        assertThat(fromNothing.allowedPrecisions()).containsExactlyInAnyOrder(Precision.INT8, Precision.INT16X8);
        assertThat(fromNothing.maxSizeBytes()).isEqualTo(100_000_000L);
    }

    @Test
    void shouldRejectUnknownAcceleratorType() {
        assertThatThrownBy(() -> new HardwareCapabilities("x86_64", Set.of(), 1, 1, 1, "fpga", Set.of()))
                .isInstanceOf(PlannerException.class).hasMessageContaining("unknown accelerator type 'fpga'");
    }
}
