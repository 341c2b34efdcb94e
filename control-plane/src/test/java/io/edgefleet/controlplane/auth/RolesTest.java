package io.edgefleet.controlplane.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesTest {
  @Test
  void shouldGiveAdminsEveryOperatorRoleAndOperatorsTheViewerRole() {
    assertThat(Roles.withImplied(Set.of("admin"))).containsExactlyInAnyOrder("admin", "operator", "viewer");
    assertThat(Roles.withImplied(Set.of("operator"))).containsExactlyInAnyOrder("operator", "viewer");
    assertThat(Roles.withImplied(Set.of("viewer"))).containsExactly("viewer");
  }

  @Test
  void shouldNeverImplyTheDeviceGroupOrRolesFromUnknownGroups() {
    assertThat(Roles.withImplied(Set.of("admin"))).doesNotContain("device");
    assertThat(Roles.withImplied(Set.of("device", "staff"))).containsExactlyInAnyOrder("device", "staff");
  }
}
