package io.edgefleet.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthPolicyTest {
  private final HealthPolicy policy = new HealthPolicy(Duration.ofMinutes(2), 20, 0.05);

  @Test
  void shouldStayPendingInsideTheWindowWhileFailuresAreWithinBoundsOrTooFewToJudge() {
    assertThat(policy.judge(0, 0, Duration.ofSeconds(10))).isEqualTo(HealthVerdict.Pending.INSTANCE);
    assertThat(policy.judge(10, 5, Duration.ofSeconds(10))).as("below min inferences").isEqualTo(HealthVerdict.Pending.INSTANCE);
    assertThat(policy.judge(100, 5, Duration.ofSeconds(10))).as("5% is allowed").isEqualTo(HealthVerdict.Pending.INSTANCE);
  }

  @Test
  void shouldFailFastOnceEnoughInferencesShowTooManyFailures() {
    HealthVerdict v = policy.judge(20, 2, Duration.ofSeconds(3));
    assertThat(v).isInstanceOf(HealthVerdict.Unhealthy.class);
    assertThat(((HealthVerdict.Unhealthy) v).reason()).isEqualTo(
        "2 of 20 inferences failed or had non-finite outputs (10.0% > 5.0% allowed) within 3s of activation");
  }

  @Test
  void shouldJudgeAtTheEndOfTheWindowOnWhateverRan() {
    assertThat(policy.judge(500, 10, Duration.ofMinutes(2))).isEqualTo(new HealthVerdict.Healthy(500, 10));
    assertThat(policy.judge(4, 1, Duration.ofMinutes(3))).as("few inferences, 25% failed").isInstanceOf(HealthVerdict.Unhealthy.class);
    HealthVerdict none = policy.judge(0, 0, Duration.ofMinutes(2));
    assertThat(none).isInstanceOf(HealthVerdict.Unhealthy.class);
    assertThat(((HealthVerdict.Unhealthy) none).reason()).isEqualTo("no inference completed within 120s of activation");
  }

  @Test
  void shouldTreatAZeroWindowAsDisabled() {
    HealthPolicy off = new HealthPolicy(Duration.ZERO, 1, 0);
    assertThat(off.enabled()).isFalse();
    assertThat(off.judge(10, 10, Duration.ZERO)).isEqualTo(new HealthVerdict.Healthy(10, 10));
  }

  @Test
  void shouldRejectInvalidPoliciesAndCounts() {
    assertThatThrownBy(() -> new HealthPolicy(Duration.ofSeconds(-1), 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HealthPolicy(Duration.ofSeconds(1), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HealthPolicy(Duration.ofSeconds(1), 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.judge(1, 2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
