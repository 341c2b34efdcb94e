package io.edgefleet.telemetry.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DistinctDevicesTest {

  @Test
  void shouldCountExactlyUpToTheLimit() {
    DistinctDevices d = DistinctDevices.empty();
    for (int i = 0; i < DistinctDevices.EXACT_LIMIT; i++) {
      d.add("device-" + i);
      d.add("device-" + i);
    }
    assertThat(d.isExact()).isTrue();
    assertThat(d.count()).isEqualTo(DistinctDevices.EXACT_LIMIT);
  }

  @Test
  void shouldEstimateLargeCountsWithinFivePercent() {
    DistinctDevices d = DistinctDevices.empty();
    for (int i = 0; i < 50_000; i++) {
      d.add("device-" + i);
    }
    assertThat(d.isExact()).isFalse();
    assertThat(d.count()).isBetween(47_500L, 52_500L);
  }

  @Test
  void shouldMergeToTheCountOfTheUnion() throws IOException {
    DistinctDevices a = DistinctDevices.empty();
    DistinctDevices b = DistinctDevices.empty();
    for (int i = 0; i < 3_000; i++) {
      a.add("d-" + i);
    }
    for (int i = 2_000; i < 5_000; i++) {
      b.add("d-" + i);
    }
    DistinctDevices small = DistinctDevices.empty();
    small.add("d-1");
    small.add("x-1");
    a.merge(b);
    a.merge(small);
    assertThat(a.count()).isBetween(4_750L, 5_250L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.write(new DataOutputStream(bytes));
    DistinctDevices back = DistinctDevices.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(back).isEqualTo(a);
    assertThat(back.count()).isEqualTo(a.count());
  }
}
