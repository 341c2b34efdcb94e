package io.edgefleet.controlplane.rollouts;

import io.edgefleet.schemas.events.FeedbackStatus;
import java.util.Collection;
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
 * <p>Rollout rule: a running rollout is FINISHED when every targeted device is terminal.
 */
public final class RolloutStateMachine {
  private RolloutStateMachine() {}

  /** The device's status after {@code feedback}; {@code current} when the feedback must be ignored. */
  public static DeviceRolloutStatus onFeedback(DeviceRolloutStatus current, FeedbackStatus feedback) {
    if (current == DeviceRolloutStatus.WAITING_FOR_BUILD || current == DeviceRolloutStatus.FAILED
        || current == DeviceRolloutStatus.ROLLED_BACK || current == DeviceRolloutStatus.SUPERSEDED) {
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

  /** The rollout's status given its devices' progress. */
  public static RolloutStatus next(RolloutStatus current, RolloutProgress progress) {
    if (current == RolloutStatus.RUNNING && progress.allTerminal()) {
      return RolloutStatus.FINISHED;
    }
    return current;
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
