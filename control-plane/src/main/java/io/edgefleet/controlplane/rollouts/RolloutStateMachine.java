package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.rollouts.gates.GateResult;
import io.edgefleet.controlplane.rollouts.gates.GateVerdict;
import io.edgefleet.schemas.events.FeedbackStatus;
import java.util.Collection;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;

/**
 * Pure rollout rules, free of persistence and messaging so they can be tested exhaustively and grown (groups,
 * gates, pause/resume) without touching the plumbing.
 *
 * <p>Device rules: feedback moves a device forward along DOWNLOADING → DOWNLOADED → INSTALLING → INSTALLED →
 * RUNNING; stale or replayed progress never moves it backwards; FAILED and ROLLED_BACK are accepted from any
 * non-terminal state and also after RUNNING (a running build can still fail or be rolled back by the device);
 * nothing leaves FAILED, ROLLED_BACK or SUPERSEDED. Feedback before the build exists is ignored.
 *
 * <p>Rollout rules: {@link #transition} (operator verbs, group boundaries, breaches), {@link #decideGroup}
 * (success/error thresholds and SLO gates of one group) and {@link #groupSizes} (splitting the targets into
 * groups). A rollout is FINISHED when its last group completes.
 */
public final class RolloutStateMachine {
  private RolloutStateMachine() {}

  /** The device's status after {@code feedback}; {@code current} when the feedback must be ignored. */
  public static DeviceRolloutStatus onFeedback(DeviceRolloutStatus current, FeedbackStatus feedback) {
    if (current == DeviceRolloutStatus.PENDING || current == DeviceRolloutStatus.WAITING_FOR_BUILD
        || current == DeviceRolloutStatus.FAILED || current == DeviceRolloutStatus.ROLLED_BACK
        || current == DeviceRolloutStatus.SUPERSEDED || current == DeviceRolloutStatus.CANCELLED) {
      return current;
    }
    DeviceRolloutStatus target = map(feedback);
    if (target == DeviceRolloutStatus.FAILED || target == DeviceRolloutStatus.ROLLED_BACK) {
      return target;
    }
    if (current == DeviceRolloutStatus.RUNNING) {
      return current;
    }
    return target.ordinal() > current.ordinal() ? target : current;
  }

  /** A device's status when its build completes (only waiting devices get assigned). */
  public static DeviceRolloutStatus onBuildCompleted(DeviceRolloutStatus current) {
    return current == DeviceRolloutStatus.WAITING_FOR_BUILD ? DeviceRolloutStatus.ASSIGNED : current;
  }

  /** A device's status when its build fails. */
  public static DeviceRolloutStatus onBuildFailed(DeviceRolloutStatus current) {
    return current == DeviceRolloutStatus.WAITING_FOR_BUILD ? DeviceRolloutStatus.FAILED : current;
  }

  /** A device's status in an older rollout when a newer rollout assigns it. */
  public static DeviceRolloutStatus onSuperseded(DeviceRolloutStatus current) {
    return current.isTerminal() ? current : DeviceRolloutStatus.SUPERSEDED;
  }

  public static RolloutProgress progress(Collection<DeviceRolloutStatus> statuses) {
    Map<DeviceRolloutStatus, Integer> counts = new EnumMap<>(DeviceRolloutStatus.class);
    int terminal = 0;
    int succeeded = 0;
    int failed = 0;
    for (DeviceRolloutStatus s : statuses) {
      counts.merge(s, 1, Integer::sum);
      if (s.isTerminal()) {
        terminal++;
      }
      if (s == DeviceRolloutStatus.RUNNING) {
        succeeded++;
      }
      if (s == DeviceRolloutStatus.FAILED || s == DeviceRolloutStatus.ROLLED_BACK) {
        failed++;
      }
    }
    return new RolloutProgress(counts, statuses.size(), terminal, succeeded, failed);
  }

  /**
   * The rollout's status after {@code action}.
   *
   * @throws ControlPlaneException {@link ErrorCode#ROLLOUT_INVALID_TRANSITION} when the action is not allowed in
   *     {@code from}
   */
  public static RolloutStatus transition(RolloutStatus from, RolloutAction action) {
    RolloutStatus to = null;
    if (action == RolloutAction.START) {
      to = from == RolloutStatus.CREATED ? RolloutStatus.RUNNING : null;
    } else if (action == RolloutAction.PAUSE || action == RolloutAction.BREACH_PAUSE) {
      to = from == RolloutStatus.RUNNING ? RolloutStatus.PAUSED : null;
    } else if (action == RolloutAction.RESUME) {
      to = from == RolloutStatus.PAUSED ? RolloutStatus.RUNNING : null;
    } else if (action == RolloutAction.STOP) {
      to = from.isActive() ? RolloutStatus.STOPPED : null;
    } else if (action == RolloutAction.NEXT_GROUP || action == RolloutAction.RETRY_FAILED) {
      to = from == RolloutStatus.RUNNING || from == RolloutStatus.PAUSED ? from : null;
    } else if (action == RolloutAction.GROUP_COMPLETED) {
      to = from == RolloutStatus.RUNNING ? from : null;
    } else if (action == RolloutAction.BREACH_ROLLBACK) {
      to = from == RolloutStatus.RUNNING || from == RolloutStatus.PAUSED ? RolloutStatus.ROLLED_BACK : null;
    } else if (action == RolloutAction.FINISH) {
      to = from == RolloutStatus.RUNNING ? RolloutStatus.FINISHED : null;
    }
    if (to == null) {
      throw new ControlPlaneException(ErrorCode.ROLLOUT_INVALID_TRANSITION,
          "cannot " + action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " a rollout that is "
              + from);
    }
    return to;
  }

  /** Where a group stands. */
  public enum GroupVerdict {
    IN_PROGRESS,
    COMPLETE,
    BREACHED
  }

  /** A group's verdict with its reason. */
  public record GroupDecision(GroupVerdict verdict, String reason) {}

  private static final double EPSILON = 1e-9;

  /**
   * Decides a started group.
   *
   * <ul>
   *   <li>BREACHED when more than {@code errorThreshold} of its devices failed (failed/total &gt; threshold, so a
   *       fraction exactly at the threshold is tolerated) or when any gate FAILs;
   *   <li>COMPLETE when at least {@code successThreshold} of its devices are RUNNING (a fraction exactly at the
   *       threshold suffices) or every device is terminal, and every gate PASSes (gates still PENDING for lack of
   *       samples hold the group back);
   *   <li>IN_PROGRESS otherwise. An empty group is COMPLETE.
   * </ul>
   */
  public static GroupDecision decideGroup(RolloutProgress p, double successThreshold, double errorThreshold,
      List<GateResult> gates) {
    if (p.total() == 0) {
      return new GroupDecision(GroupVerdict.COMPLETE, "the group has no devices");
    }
    if (p.failed() > errorThreshold * p.total() + EPSILON) {
      return new GroupDecision(GroupVerdict.BREACHED, String.format(java.util.Locale.ROOT,
          "error threshold breached: %d of %d devices failed (%.3f > %.3f)", p.failed(), p.total(),
          (double) p.failed() / p.total(), errorThreshold));
    }
    for (GateResult g : gates) {
      if (g.verdict() == GateVerdict.FAIL) {
        return new GroupDecision(GroupVerdict.BREACHED, "gate failed: " + g.describe());
      }
    }
    boolean successMet = p.succeeded() >= successThreshold * p.total() - EPSILON || p.allTerminal();
    if (!successMet) {
      return new GroupDecision(GroupVerdict.IN_PROGRESS, String.format(java.util.Locale.ROOT,
          "%d of %d devices running, %.3f needed", p.succeeded(), p.total(), successThreshold));
    }
    for (GateResult g : gates) {
      if (g.verdict() == GateVerdict.PENDING) {
        return new GroupDecision(GroupVerdict.IN_PROGRESS, "waiting for samples: " + g.describe());
      }
    }
    return new GroupDecision(GroupVerdict.COMPLETE, String.format(java.util.Locale.ROOT,
        "%d of %d devices running, %d failed%s", p.succeeded(), p.total(), p.failed(),
        gates.isEmpty() ? "" : ", " + gates.size() + " gate(s) passed"));
  }

  /**
   * Sizes of the groups over {@code total} devices, in order (canary first): a group takes its {@code count}, or
   * ceil(percent × total / 100), capped by the devices left; the last group always takes every device left, so each
   * matching device belongs to exactly one group.
   */
  public static int[] groupSizes(List<GroupSpec> groups, int total) {
    int[] sizes = new int[groups.size()];
    int left = total;
    for (int i = 0; i < sizes.length; i++) {
      GroupSpec g = groups.get(i);
      int size;
      if (i == sizes.length - 1) {
        size = left;
      } else if (g.count() != null) {
        size = Math.min(g.count(), left);
      } else {
        size = (int) Math.min(left, Math.ceil(g.percent() * total / 100.0 - EPSILON));
      }
      sizes[i] = size;
      left -= size;
    }
    return sizes;
  }

  private static DeviceRolloutStatus map(FeedbackStatus f) {
    if (f == FeedbackStatus.DOWNLOADING) {
      return DeviceRolloutStatus.DOWNLOADING;
    } else if (f == FeedbackStatus.DOWNLOADED) {
      return DeviceRolloutStatus.DOWNLOADED;
    } else if (f == FeedbackStatus.INSTALLING) {
      return DeviceRolloutStatus.INSTALLING;
    } else if (f == FeedbackStatus.INSTALLED) {
      return DeviceRolloutStatus.INSTALLED;
    } else if (f == FeedbackStatus.RUNNING) {
      return DeviceRolloutStatus.RUNNING;
    } else if (f == FeedbackStatus.FAILED) {
      return DeviceRolloutStatus.FAILED;
    } else if (f == FeedbackStatus.ROLLED_BACK) {
      return DeviceRolloutStatus.ROLLED_BACK;
    }
    throw new IllegalArgumentException("unknown feedback status " + f);
  }
}
