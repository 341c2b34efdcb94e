package io.edgefleet.fleetctl.rollouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.fleetctl.FleetctlException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupsSpecTest {

  @Test
  void shouldParseNamedCountsAndPercentages() {
    List<Map<String, Object>> groups = GroupsSpec.parse("canary:1, 25%,all:100%", 0.9, null);

    assertThat(groups).hasSize(3);
    assertThat(groups.get(0)).containsEntry("name", "canary").containsEntry("count", 1)
        .containsEntry("successThreshold", 0.9).doesNotContainKey("percent").doesNotContainKey("errorThreshold");
    assertThat(groups.get(1)).containsEntry("percent", 25.0).doesNotContainKey("name");
    assertThat(groups.get(2)).containsEntry("name", "all").containsEntry("percent", 100.0);
  }

  @Test
  void shouldRejectMalformedGroupsWithTheOffendingItem() {
    assertThatThrownBy(() -> GroupsSpec.parse("1,,100%", null, null))
        .isInstanceOf(FleetctlException.class).hasMessageContaining("bad group ''");
    assertThatThrownBy(() -> GroupsSpec.parse("canary:0", null, null))
        .hasMessageContaining("whole number >= 1");
    assertThatThrownBy(() -> GroupsSpec.parse("2.5", null, null)).hasMessageContaining("whole number");
    assertThatThrownBy(() -> GroupsSpec.parse("150%", null, null)).hasMessageContaining("(0, 100]");
    assertThatThrownBy(() -> GroupsSpec.parse("ten", null, null)).hasMessageContaining("[name:]COUNT");
  }
}
