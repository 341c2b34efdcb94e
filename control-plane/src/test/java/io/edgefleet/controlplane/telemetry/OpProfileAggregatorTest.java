package io.edgefleet.controlplane.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgefleet.controlplane.telemetry.OpProfileAggregator.DeviceProfile;
import io.edgefleet.schemas.events.OpTiming;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpProfileAggregatorTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void shouldTakeTheMedianOverDevicesPerOperatorInExecutionOrder() {
    List<DeviceProfile> profiles = List.of(
        device("a", T0, 100, 10),
        device("b", T0.plusSeconds(30), 300, 30),
        device("c", T0.plusSeconds(10), 200, 20));

    OpProfileView.ClassProfile view = OpProfileAggregator.merge("hc-x", profiles);

    assertThat(view.hardwareClass()).isEqualTo("hc-x");
    assertThat(view.devices()).isEqualTo(3);
    assertThat(view.lastProfiledAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(view.ops()).extracting(OpProfileView.OpEntry::op).containsExactly("CONV_2D", "FULLY_CONNECTED");
    OpProfileView.OpEntry conv = view.ops().get(0);
    assertThat(conv.devices()).isEqualTo(3);
    assertThat(conv.medianMicros()).isEqualTo(200);
    assertThat(conv.minMicros()).isEqualTo(100);
    assertThat(conv.maxMicros()).isEqualTo(300);
    assertThat(view.totalMedianMicros()).isEqualTo(220);
    assertThat(conv.share()).isCloseTo(200.0 / 220, within(1e-9));
    assertThat(view.ops().get(1).share()).isCloseTo(20.0 / 220, within(1e-9));
  }

  @Test
  void shouldKeepOperatorsOnlySomeDevicesRanApartWithTheirOwnDeviceCount() {
    // one device ran the convolution through the delegate, which reports its own operator names
    DeviceProfile delegated = new DeviceProfile("d", T0, List.of(
        new OpTiming(0, "Convolution (NHWC, F32) IGEMM", 80, 82, 0.8, 10),
        new OpTiming(1, "FULLY_CONNECTED", 20, 21, 0.2, 10)));

    OpProfileView.ClassProfile view = OpProfileAggregator.merge("hc-x", List.of(device("a", T0, 100, 10),
        delegated));

    assertThat(view.ops()).extracting(OpProfileView.OpEntry::opIndex, OpProfileView.OpEntry::op,
            OpProfileView.OpEntry::devices)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "CONV_2D", 1),
            org.assertj.core.groups.Tuple.tuple(0, "Convolution (NHWC, F32) IGEMM", 1),
            org.assertj.core.groups.Tuple.tuple(1, "FULLY_CONNECTED", 2));
    assertThat(view.ops().get(2).medianMicros()).isEqualTo(15);
  }

  @Test
  void shouldRefuseAnEmptyClassAndUnsortedMedianInput() {
    assertThatThrownBy(() -> OpProfileAggregator.merge("hc-x", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpProfileAggregator.median(new double[] {3, 1}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(OpProfileAggregator.median(new double[] {1, 3})).isEqualTo(2);
  }

  private static DeviceProfile device(String id, Instant at, double convMicros, double fcMicros) {
    double total = convMicros + fcMicros;
    return new DeviceProfile(id, at, List.of(
        new OpTiming(0, "CONV_2D", convMicros, convMicros + 1, convMicros / total, 10),
        new OpTiming(1, "FULLY_CONNECTED", fcMicros, fcMicros + 1, fcMicros / total, 10)));
  }
}
