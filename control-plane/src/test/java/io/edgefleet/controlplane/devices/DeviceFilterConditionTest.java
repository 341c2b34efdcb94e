package io.edgefleet.controlplane.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.devices.query.SqlCondition;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFilterConditionTest {

  @Test
  void shouldSplitTheTagsAttributeIntoTrimmedDistinctTags() {
    assertThat(DeviceService.tags(" lab, edge ,,lab,")).containsExactly("edge", "lab");
    assertThat(DeviceService.tags(null)).isEmpty();
    assertThatThrownBy(() -> DeviceService.tags("x".repeat(129))).isInstanceOf(ControlPlaneException.class);
  }

  @Test
  void shouldAndEveryPartOfAFilterWithBoundParameters() {
    SqlCondition c = DeviceService.condition(new DeviceFilter("hc-1", Map.of("site", "lab"), "edge", "cores>2"));

    assertThat(c.sql()).isEqualTo("1 = 1 AND d.hardware_class = :hc AND EXISTS (SELECT 1 FROM device_attribute a0 "
        + "WHERE a0.device_id = d.id AND a0.name = :an0 AND a0.value = :av0) AND EXISTS (SELECT 1 FROM device_tag t "
        + "WHERE t.device_id = d.id AND t.tag = :tag) AND d.cores > :q0");
    assertThat(c.params()).containsEntry("hc", "hc-1").containsEntry("an0", "site").containsEntry("av0", "lab")
        .containsEntry("tag", "edge").containsEntry("q0", 2L);
    assertThat(DeviceService.condition(DeviceFilter.all()).sql()).isEqualTo("1 = 1");
    assertThat(new DeviceFilter(" ", null, "", "  ")).isEqualTo(DeviceFilter.all());
  }
}
