package io.edgefleet.controlplane.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectivityTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void shouldBeOnlineWithinTheWindowOverdueAfterItAndNeverSeenWithoutHeartbeat() {
    Duration window = Duration.ofMinutes(1);

    assertThat(DeviceResource.connectivity(NOW.minusSeconds(59), NOW, window)).isEqualTo("ONLINE");
    assertThat(DeviceResource.connectivity(NOW.minusSeconds(60), NOW, window)).isEqualTo("ONLINE");
    assertThat(DeviceResource.connectivity(NOW.minusSeconds(61), NOW, window)).isEqualTo("OVERDUE");
    assertThat(DeviceResource.connectivity(null, NOW, window)).isEqualTo("NEVER_SEEN");
  }
}
