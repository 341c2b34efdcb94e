package io.edgefleet.fleetctl.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void shouldAlignTextLeftAndNumbersRight() {
    String text = new Table("ID", "SIZE", "NOTE").row("a", "1.5 KB", null).row("bbbb", "208.3 KB", "x").render();

    assertThat(text.lines().toList()).containsExactly(
        "ID    SIZE      NOTE",
        "a       1.5 KB  -",
        "bbbb  208.3 KB  x");
  }

  @Test
  void shouldRejectRowsOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldFormatUnits() {
    assertThat(Format.bytes(999)).isEqualTo("999 B");
    assertThat(Format.bytes(208_312)).isEqualTo("208.3 KB");
    assertThat(Format.bytes(812_652_000)).isEqualTo("812.65 MB");
    assertThat(Format.micros(812.4)).isEqualTo("812 µs");
    assertThat(Format.micros(23_100)).isEqualTo("23.10 ms");
    assertThat(Format.micros(-1)).isEqualTo("-");
    assertThat(Format.percent(0.8975, 1)).isEqualTo("89.8%");
  }
}
