package io.edgefleet.planner.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.Plan;
import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyTableTest {

    @Test
    void shouldLetMeasuredValuesOverrideSeededOnesButNotTheReverse() {
        LatencyTable seeded = LatencyTable.seeded("class-a", Map.of(
                "conv1", Map.of(Precision.FLOAT32, 100.0, Precision.INT8, 40.0),
                "fc", Map.of(Precision.INT8, 5.0)));
        LatencyTable measured = LatencyTable.measured("class-a", Map.of("conv1", Map.of(Precision.INT8, 70.0)));
        LatencyTable merged = seeded.merge(measured);
        assertThat(merged.micros("conv1", Precision.INT8)).hasValue(70.0);
        assertThat(merged.entry("conv1", Precision.INT8)).hasValueSatisfying(
                e -> assertThat(e.source()).isEqualTo(LatencyTable.Source.MEASURED));
        assertThat(merged.micros("conv1", Precision.FLOAT32)).hasValue(100.0);
        assertThat(merged.micros("fc", Precision.INT8)).hasValue(5.0);
        assertThat(merged.size()).isEqualTo(3);

        LatencyTable reseeded = merged.merge(LatencyTable.seeded("class-a", Map.of("conv1",
                Map.of(Precision.INT8, 1.0, Precision.FLOAT32, 90.0))));
        assertThat(reseeded.micros("conv1", Precision.INT8)).hasValue(70.0);
        assertThat(reseeded.micros("conv1", Precision.FLOAT32)).hasValue(90.0);
        LatencyTable remeasured = merged.merge(LatencyTable.measured("class-a", Map.of("conv1",
                Map.of(Precision.INT8, 65.0))));
        assertThat(remeasured.micros("conv1", Precision.INT8)).hasValue(65.0);
    }

    @Test
    void shouldRefuseToMergeDifferentHardwareClasses() {
        assertThatThrownBy(() -> LatencyTable.empty("a").merge(LatencyTable.empty("b")))
                .isInstanceOfSatisfying(PlannerException.class,
                        e -> assertThat(e.code()).isEqualTo(PlannerErrorCode.INVALID_INPUT))
                .hasMessageContaining("'a' and 'b'");
        assertThatThrownBy(() -> LatencyTable.seeded("a", Map.of("x", Map.of(Precision.INT8, -1.0))))
                .isInstanceOf(PlannerException.class);
    }

    @Test
    void shouldApplyTableToProfilesAndChangeThePlan() {
        LayerProfile layer = new LayerProfile("conv1", "CONV_2D", 10, 90,
                Map.of(Precision.FLOAT32, 0.0, Precision.INT8, 0.2),
                Map.of(Precision.FLOAT32, 40L, Precision.INT8, 10L),
                Map.of(Precision.FLOAT32, 10.0, Precision.INT8, 4.0));
        PlanConstraints budget = PlanConstraints.unconstrained().withMaxLatencyMicros(8.0);
        Planner planner = new Planner();
        assertThat(planner.plan(List.of(layer), budget).precisionOf("conv1")).isEqualTo(Precision.INT8);

        // on this class the float kernel is measured faster than the seeded estimate
        LatencyTable table = LatencyTable.measured("class-a", Map.of("conv1", Map.of(Precision.FLOAT32, 7.5)));
        List<LayerProfile> applied = table.applyTo(List.of(layer));
        assertThat(applied.get(0).latencyMicros()).containsEntry(Precision.FLOAT32, 7.5)
                .containsEntry(Precision.INT8, 4.0);
        Plan plan = planner.plan(applied, budget);
        assertThat(plan.precisionOf("conv1")).isEqualTo(Precision.FLOAT32);
        assertThat(plan.predictedLatencyMicros()).isEqualTo(7.5);
    }
}
