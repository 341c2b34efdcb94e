package io.edgefleet.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void shouldParseLatenciesInMicroseconds() {
    assertThat(Values.micros("800us")).isEqualTo(800.0);
    assertThat(Values.micros("800µs")).isEqualTo(800.0);
    assertThat(Values.micros("1.5ms")).isEqualTo(1500.0);
    assertThat(Values.micros("2s")).isEqualTo(2_000_000.0);
    assertThat(Values.micros("250")).isEqualTo(250.0);
  }

  @Test
  void shouldParseDurations() {
    assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Values.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> Values.duration("soon")).isInstanceOf(FleetctlException.class)
        .hasMessageContaining("not a time value");
  }

  @Test
  void shouldParseFractionsAndPercentages() {
    assertThat(Values.fraction("0.02")).isEqualTo(0.02);
    assertThat(Values.fraction("2%")).isEqualTo(0.02);
    assertThatThrownBy(() -> Values.fraction("120%")).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> Values.fraction("lots")).hasMessageContaining("not a fraction");
  }
}
