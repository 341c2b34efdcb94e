package io.edgefleet.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.net.URI;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
  private static final SimulatorConfig DEFAULTS = SimulatorConfig.defaults(URI.create("http://127.0.0.1:8080"), "127.0.0.1:9092");

  @Test
  void shouldNameDevicesWithAZeroPaddedIndex() {
    assertThat(DEFAULTS.deviceId(42)).isEqualTo("sim-000042");
    assertThat(DEFAULTS.withDevicePrefix("lab.").deviceId(7)).isEqualTo("lab.000007");
  }

  @Test
  void shouldRejectInvalidValuesWithTheConfigErrorCode() {
    assertThatThrownBy(() -> DEFAULTS.withHardwareClasses(0))
        .isInstanceOfSatisfying(SimulatorException.class, e -> assertThat(e.code()).isEqualTo(SimulatorErrorCode.INVALID_CONFIG))
        .hasMessageStartingWith("invalid_config: hardwareClasses");
    assertThatThrownBy(() -> DEFAULTS.withVerifyDownloadFraction(1.5)).isInstanceOf(SimulatorException.class);
    assertThatThrownBy(() -> DEFAULTS.withDevicePrefix("no spaces")).isInstanceOf(SimulatorException.class);
    assertThatThrownBy(() -> DEFAULTS.withMaxInFlightRequests(0)).isInstanceOf(SimulatorException.class);
  }

  @Test
  void shouldDeclareADistinctHardwareClassPerSimulatedBoard() {
    long classes = Arrays.stream(SimulatedHardware.values())
        .map(h -> HardwareClass.of(h.profile("tflite-2.19.0"))).distinct().count();
    assertThat(classes).isEqualTo(SimulatedHardware.values().length);
  }

  @Test
  void shouldSpreadTheFleetOverTheRequestedNumberOfClasses() {
    assertThat(IntStream.range(0, 100).mapToObj(i -> SimulatedHardware.forDevice(i, 2)).distinct())
        .containsExactlyInAnyOrder(SimulatedHardware.values()[0], SimulatedHardware.values()[1]);
    assertThat(IntStream.range(0, 100).mapToObj(i -> SimulatedHardware.forDevice(i, 4)).distinct()).hasSize(4);
  }

  @Test
  void shouldDeclareAnAcceleratorOnlyWithPrecisions() {
    for (SimulatedHardware h : SimulatedHardware.values()) {
      var acc = h.profile("tflite-x").accelerator();
      assertThat(acc.present()).as(h.name()).isEqualTo(!acc.precisions().isEmpty());
    }
  }
}
