package io.edgefleet.controlplane.rollouts;

import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.ASSIGNED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.CANCELLED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.PENDING;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.DOWNLOADED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.DOWNLOADING;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.FAILED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.INSTALLED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.ROLLED_BACK;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.RUNNING;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.SUPERSEDED;
import static io.edgefleet.controlplane.rollouts.DeviceRolloutStatus.WAITING_FOR_BUILD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.rollouts.RolloutStateMachine.GroupDecision;
import io.edgefleet.controlplane.rollouts.RolloutStateMachine.GroupVerdict;
import io.edgefleet.controlplane.rollouts.gates.Gate;
import io.edgefleet.controlplane.rollouts.gates.GateResult;
import io.edgefleet.controlplane.rollouts.gates.GateVerdict;
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

  @ParameterizedTest
  @EnumSource(FeedbackStatus.class)
  void shouldIgnoreFeedbackForPendingOrCancelledDevices(FeedbackStatus f) {
    assertThat(RolloutStateMachine.onFeedback(PENDING, f)).isEqualTo(PENDING);
    assertThat(RolloutStateMachine.onFeedback(CANCELLED, f)).isEqualTo(CANCELLED);
  }

  // ------------------------------------------------------------------------------------ rollout transitions

  @Test
  void shouldAllowTheDocumentedTransitions() {
    assertThat(RolloutStateMachine.transition(CREATED_R, RolloutAction.START)).isEqualTo(RolloutStatus.RUNNING);
    assertThat(RolloutStateMachine.transition(RUNNING_R, RolloutAction.PAUSE)).isEqualTo(RolloutStatus.PAUSED);
    assertThat(RolloutStateMachine.transition(RUNNING_R, RolloutAction.BREACH_PAUSE)).isEqualTo(RolloutStatus.PAUSED);
    assertThat(RolloutStateMachine.transition(PAUSED_R, RolloutAction.RESUME)).isEqualTo(RolloutStatus.RUNNING);
    assertThat(RolloutStateMachine.transition(RUNNING_R, RolloutAction.FINISH)).isEqualTo(RolloutStatus.FINISHED);
    assertThat(RolloutStateMachine.transition(RUNNING_R, RolloutAction.GROUP_COMPLETED)).isEqualTo(RUNNING_R);
    assertThat(RolloutStateMachine.transition(PAUSED_R, RolloutAction.NEXT_GROUP)).isEqualTo(PAUSED_R);
    assertThat(RolloutStateMachine.transition(RUNNING_R, RolloutAction.RETRY_FAILED)).isEqualTo(RUNNING_R);
    assertThat(RolloutStateMachine.transition(PAUSED_R, RolloutAction.BREACH_ROLLBACK))
        .isEqualTo(RolloutStatus.ROLLED_BACK);
    for (RolloutStatus s : List.of(CREATED_R, RUNNING_R, PAUSED_R)) {
      assertThat(RolloutStateMachine.transition(s, RolloutAction.STOP)).isEqualTo(RolloutStatus.STOPPED);
    }
  }

  @ParameterizedTest
  @EnumSource(value = RolloutStatus.class, names = {"FINISHED", "STOPPED", "ROLLED_BACK"})
  void shouldRejectEveryActionOnATerminalRollout(RolloutStatus terminal) {
    for (RolloutAction a : RolloutAction.values()) {
      assertThatThrownBy(() -> RolloutStateMachine.transition(terminal, a))
          .isInstanceOfSatisfying(ControlPlaneException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.ROLLOUT_INVALID_TRANSITION));
    }
  }

  @Test
  void shouldRejectVerbsOutOfOrder() {
    assertThatThrownBy(() -> RolloutStateMachine.transition(PAUSED_R, RolloutAction.PAUSE))
        .hasMessageContaining("cannot pause a rollout that is PAUSED");
    assertThatThrownBy(() -> RolloutStateMachine.transition(RUNNING_R, RolloutAction.RESUME))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(RUNNING_R, RolloutAction.START))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(CREATED_R, RolloutAction.NEXT_GROUP))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(PAUSED_R, RolloutAction.FINISH))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(PAUSED_R, RolloutAction.GROUP_COMPLETED))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(CREATED_R, RolloutAction.BREACH_ROLLBACK))
        .isInstanceOf(ControlPlaneException.class);
    assertThatThrownBy(() -> RolloutStateMachine.transition(RUNNING_R, RolloutAction.CREATE))
        .isInstanceOf(ControlPlaneException.class);
  }

  // ------------------------------------------------------------------------------------------ group decisions

  @Test
  void shouldCompleteAnEmptyGroup() {
    assertThat(decide(List.of(), 1.0, 0.0, List.of()).verdict()).isEqualTo(GroupVerdict.COMPLETE);
  }

  @Test
  void shouldCompleteWhenTheSuccessThresholdIsExactlyMet() {
    // 3 of 4 running = 0.75 exactly
    assertThat(decide(List.of(RUNNING, RUNNING, RUNNING, ASSIGNED), 0.75, 1.0, List.of()).verdict())
        .isEqualTo(GroupVerdict.COMPLETE);
    assertThat(decide(List.of(RUNNING, RUNNING, ASSIGNED, ASSIGNED), 0.75, 1.0, List.of()).verdict())
        .isEqualTo(GroupVerdict.IN_PROGRESS);
    // 2 of 3 = 0.666.. against a threshold written as 2/3
    assertThat(decide(List.of(RUNNING, RUNNING, DOWNLOADING), 2.0 / 3, 1.0, List.of()).verdict())
        .isEqualTo(GroupVerdict.COMPLETE);
  }

  @Test
  void shouldTolerateFailuresExactlyAtTheErrorThresholdAndBreachAbove() {
    GroupDecision atThreshold = decide(List.of(FAILED, RUNNING), 1.0, 0.5, List.of());
    GroupDecision above = decide(List.of(FAILED, FAILED, RUNNING), 1.0, 0.5, List.of());

    assertThat(atThreshold.verdict()).isEqualTo(GroupVerdict.COMPLETE); // all terminal, 0.5 not > 0.5
    assertThat(above.verdict()).isEqualTo(GroupVerdict.BREACHED);
    assertThat(above.reason()).contains("2 of 3 devices failed");
  }

  @Test
  void shouldBreachWhenEveryDeviceFailedUnlessAllFailuresAreTolerated() {
    assertThat(decide(List.of(FAILED, FAILED), 1.0, 0.0, List.of()).verdict()).isEqualTo(GroupVerdict.BREACHED);
    assertThat(decide(List.of(FAILED, ROLLED_BACK), 1.0, 0.99, List.of()).verdict())
        .isEqualTo(GroupVerdict.BREACHED);
    // the default error threshold 1.0 tolerates everything: the group is done when every device is terminal
    assertThat(decide(List.of(FAILED, FAILED), 1.0, 1.0, List.of()).verdict()).isEqualTo(GroupVerdict.COMPLETE);
  }

  @Test
  void shouldBreachOnAFailingGateEvenBeforeTheSuccessThreshold() {
    GroupDecision d = decide(List.of(RUNNING, ASSIGNED, ASSIGNED), 1.0, 1.0,
        List.of(gate(GateVerdict.PASS), gate(GateVerdict.FAIL)));
    assertThat(d.verdict()).isEqualTo(GroupVerdict.BREACHED);
    assertThat(d.reason()).contains("gate failed").contains("ACCURACY");
  }

  @Test
  void shouldHoldTheGroupWhileAGateLacksSamples() {
    assertThat(decide(List.of(RUNNING, RUNNING), 1.0, 0.0, List.of(gate(GateVerdict.PENDING))).verdict())
        .isEqualTo(GroupVerdict.IN_PROGRESS);
    assertThat(decide(List.of(RUNNING, RUNNING), 1.0, 0.0, List.of(gate(GateVerdict.PASS))).verdict())
        .isEqualTo(GroupVerdict.COMPLETE);
  }

  // --------------------------------------------------------------------------------------------- group sizes

  @Test
  void shouldSizeGroupsByCountPercentAndGiveTheRestToTheLastGroup() {
    List<GroupSpec> specs = List.of(new GroupSpec("canary", null, 1, null, null),
        new GroupSpec(null, 50.0, null, null, null), new GroupSpec(null, 10.0, null, null, null));
    assertThat(RolloutStateMachine.groupSizes(specs, 10)).containsExactly(1, 5, 4);
    assertThat(RolloutStateMachine.groupSizes(specs, 1)).containsExactly(1, 0, 0);
    assertThat(RolloutStateMachine.groupSizes(specs, 0)).containsExactly(0, 0, 0);
    // percent rounds up so a small canary is never empty
    assertThat(RolloutStateMachine.groupSizes(List.of(new GroupSpec(null, 10.0, null, null, null),
        GroupSpec.all()), 3)).containsExactly(1, 2);
    assertThat(RolloutStateMachine.groupSizes(List.of(GroupSpec.all()), 7)).containsExactly(7);
  }

  private static GroupDecision decide(List<DeviceRolloutStatus> statuses, double success, double error,
      List<GateResult> gates) {
    return RolloutStateMachine.decideGroup(RolloutStateMachine.progress(statuses), success, error, gates);
  }

  private static GateResult gate(GateVerdict v) {
    return new GateResult(Gate.ACCURACY, "b1", 0.9, 0.95, 500, 100, v);
  }

  private static final RolloutStatus CREATED_R = RolloutStatus.CREATED;
  private static final RolloutStatus RUNNING_R = RolloutStatus.RUNNING;
  private static final RolloutStatus PAUSED_R = RolloutStatus.PAUSED;
}
