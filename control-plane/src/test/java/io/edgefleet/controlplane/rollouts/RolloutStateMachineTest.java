package io.edgefleet.controlplane.rollouts;

import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.ASSIGNED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.DOWNLOADED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.DOWNLOADING;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.FAILED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.INSTALLED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.ROLLED_BACK;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.RUNNING;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.SUPERSEDED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.WAITING_FOR_BUILD;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.events.FeedbackStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RolloutStateMachineTest {

  @Test
  void shouldMoveForwardThroughTheHappyPath() {
    DeviceRolloutStatus s = RolloutStateMachine.onBuildCompleted(WAITING_FOR_BUILD);
    assertThat(s).isEqualTo(ASSIGNED);
    for (FeedbackStatus f : List.of(FeedbackStatus.DOWNLOADING, FeedbackStatus.DOWNLOADED, FeedbackStatus.INSTALLING,
        FeedbackStatus.INSTALLED, FeedbackStatus.RUNNING)) {
      s = RolloutStateMachine.onFeedback(s, f);
    }
    assertThat(s).isEqualTo(RUNNING);
  }

  @Test
  void shouldIgnoreStaleProgressThatWouldMoveBackwards() {
    assertThat(RolloutStateMachine.onFeedback(INSTALLED, FeedbackStatus.DOWNLOADING)).isEqualTo(INSTALLED);
    assertThat(RolloutStateMachine.onFeedback(RUNNING, FeedbackStatus.INSTALLED)).isEqualTo(RUNNING);
  }

  @Test
  void shouldAllowSkippingSteps() {
    assertThat(RolloutStateMachine.onFeedback(ASSIGNED, FeedbackStatus.RUNNING)).isEqualTo(RUNNING);
  }

  @Test
  void shouldAcceptFailureOrRollbackEvenAfterRunning() {
    assertThat(RolloutStateMachine.onFeedback(DOWNLOADING, FeedbackStatus.FAILED)).isEqualTo(FAILED);
    assertThat(RolloutStateMachine.onFeedback(RUNNING, FeedbackStatus.ROLLED_BACK)).isEqualTo(ROLLED_BACK);
    assertThat(RolloutStateMachine.onFeedback(RUNNING, FeedbackStatus.FAILED)).isEqualTo(FAILED);
  }

  @ParameterizedTest
  @EnumSource(FeedbackStatus.class)
  void shouldNeverLeaveFailedRolledBackOrSuperseded(FeedbackStatus f) {
    assertThat(RolloutStateMachine.onFeedback(FAILED, f)).isEqualTo(FAILED);
    assertThat(RolloutStateMachine.onFeedback(ROLLED_BACK, f)).isEqualTo(ROLLED_BACK);
    assertThat(RolloutStateMachine.onFeedback(SUPERSEDED, f)).isEqualTo(SUPERSEDED);
  }

  @ParameterizedTest
  @EnumSource(FeedbackStatus.class)
  void shouldIgnoreFeedbackBeforeTheBuildExists(FeedbackStatus f) {
    assertThat(RolloutStateMachine.onFeedback(WAITING_FOR_BUILD, f)).isEqualTo(WAITING_FOR_BUILD);
  }

  @Test
  void shouldFailOnlyWaitingDevicesWhenTheBuildFails() {
    assertThat(RolloutStateMachine.onBuildFailed(WAITING_FOR_BUILD)).isEqualTo(FAILED);
    assertThat(RolloutStateMachine.onBuildFailed(RUNNING)).isEqualTo(RUNNING);
    assertThat(RolloutStateMachine.onBuildCompleted(DOWNLOADED)).isEqualTo(DOWNLOADED);
  }

  @Test
  void shouldSupersedeOnlyUnfinishedDevices() {
    assertThat(RolloutStateMachine.onSuperseded(DOWNLOADING)).isEqualTo(SUPERSEDED);
    assertThat(RolloutStateMachine.onSuperseded(WAITING_FOR_BUILD)).isEqualTo(SUPERSEDED);
    assertThat(RolloutStateMachine.onSuperseded(RUNNING)).isEqualTo(RUNNING);
    assertThat(RolloutStateMachine.onSuperseded(FAILED)).isEqualTo(FAILED);
  }

  @Test
  void shouldCountDevicesByStatus() {
    RolloutProgress p = RolloutStateMachine.progress(List.of(RUNNING, RUNNING, FAILED, ROLLED_BACK, DOWNLOADING));

    assertThat(p.total()).isEqualTo(5);
    assertThat(p.terminal()).isEqualTo(4);
    assertThat(p.succeeded()).isEqualTo(2);
    assertThat(p.failed()).isEqualTo(2);
    assertThat(p.counts()).containsEntry(RUNNING, 2).containsEntry(DOWNLOADING, 1).doesNotContainKey(ASSIGNED);
    assertThat(p.allTerminal()).isFalse();
  }

  @Test
  void shouldFinishOnlyWhenEveryDeviceIsTerminal() {
    RolloutProgress running = RolloutStateMachine.progress(List.of(RUNNING, ASSIGNED));
    RolloutProgress done = RolloutStateMachine.progress(List.of(RUNNING, FAILED, SUPERSEDED));
    RolloutProgress empty = RolloutStateMachine.progress(List.of());

    assertThat(RolloutStateMachine.next(RolloutStatus.RUNNING, running)).isEqualTo(RolloutStatus.RUNNING);
    assertThat(RolloutStateMachine.next(RolloutStatus.RUNNING, done)).isEqualTo(RolloutStatus.FINISHED);
    assertThat(RolloutStateMachine.next(RolloutStatus.RUNNING, empty)).isEqualTo(RolloutStatus.RUNNING);
    assertThat(RolloutStateMachine.next(RolloutStatus.FINISHED, running)).isEqualTo(RolloutStatus.FINISHED);
  }
}
