package io.edgefleet.agent.assignment;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.download.ArtifactDownloader;
import io.edgefleet.agent.download.TrustedKeys;
import io.edgefleet.agent.inference.ServingModel;
import io.edgefleet.agent.inference.SmokeResult;
import io.edgefleet.agent.inference.SmokeTester;
import io.edgefleet.agent.slots.SlotManager;
import io.edgefleet.agent.slots.SlotManifest;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.FeedbackStatus;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Installs an assigned build: DOWNLOADING → signature check, resumable download with sha256 + size check →
 * DOWNLOADED → INSTALLING: stage into the inactive A/B slot, load, smoke test → atomic switch → INSTALLED → RUNNING.
 * Any failure before the switch leaves the active slot and the served model untouched; the staged slot never becomes
 * active.
 */
public final class AssignmentHandler {
  private static final System.Logger LOG = System.getLogger(AssignmentHandler.class.getName());
  /** Evaluation sets and reference outputs larger than this are refused. */
  static final long MAX_EVAL_BYTES = 256L << 20;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern BUILD_KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** Hands a loaded, smoke-tested model to whatever serves it. */
  @FunctionalInterface
  public interface ModelActivator {
    void activate(ServingModel model);
  }

  private final String deviceId;
  private final Path downloadsDir;
  private final ArtifactDownloader downloader;
  private final TrustedKeys trustedKeys;
  private final SlotManager slots;
  private final ModelActivator activator;
  private final Consumer<DeviceFeedback> feedback;
  private final int threads;
  private final int smokeMaxSamples;
  private final Clock clock;

  public AssignmentHandler(
      String deviceId,
      Path downloadsDir,
      ArtifactDownloader downloader,
      TrustedKeys trustedKeys,
      SlotManager slots,
      ModelActivator activator,
      Consumer<DeviceFeedback> feedback,
      int threads,
      int smokeMaxSamples,
      Clock clock) {
    this.deviceId = Objects.requireNonNull(deviceId);
    this.downloadsDir = Objects.requireNonNull(downloadsDir);
    this.downloader = Objects.requireNonNull(downloader);
    this.trustedKeys = Objects.requireNonNull(trustedKeys);
    this.slots = Objects.requireNonNull(slots);
    this.activator = Objects.requireNonNull(activator);
    this.feedback = Objects.requireNonNull(feedback);
    this.threads = threads;
    this.smokeMaxSamples = smokeMaxSamples;
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Installs {@code a}'s build.
   *
   * @param finalAttempt whether a transient failure should be reported as FAILED instead of retried
   */
  public InstallOutcome install(DeviceAssignment a, boolean finalAttempt) {
    if (!a.hasBuild()) {
      throw new IllegalArgumentException("assignment has no build");
    }
    report(a, FeedbackStatus.DOWNLOADING, null);
    try {
      SlotManifest staged;
      ServingModel model;
      SmokeResult smoke;
      validate(a);
      // the signature covers (sha256, size): check it before spending bandwidth, the bytes are checked against both
      trustedKeys.verify(a.artifactSha256(), a.sizeBytes(), a.signature(), a.signingKeyId());
      Path target = downloadsDir.resolve(a.buildKey() + ".tflite");
      ArtifactDownloader.Downloaded file =
          downloader.download(uri(a.artifactUrl(), "artifactUrl"), target, a.sizeBytes(), a.artifactSha256());
      report(a, FeedbackStatus.DOWNLOADED, file.resumedFromBytes() > 0 ? "resumed at byte " + file.resumedFromBytes() : null);
      report(a, FeedbackStatus.INSTALLING, null);
      byte[] eval = a.evalSetUrl() == null ? null : downloader.fetch(uri(a.evalSetUrl(), "evalSetUrl"), MAX_EVAL_BYTES);
      byte[] reference =
          a.referenceOutputsUrl() == null
              ? null
              : downloader.fetch(uri(a.referenceOutputsUrl(), "referenceOutputsUrl"), MAX_EVAL_BYTES);
      staged = slots.stage(file.file(), eval, reference, a.buildKey(), a.rolloutId(), file.sha256(), a.maxAccuracyDrop());
      deleteQuietly(file.file());
      model =
          ServingModel.load(
              a.buildKey(),
              a.rolloutId(),
              slots.modelFile(staged),
              staged.hasEvalSet() ? slots.evalFile(staged) : null,
              staged.hasReference() ? slots.referenceFile(staged) : null,
              threads);
      try {
        smoke =
            SmokeTester.test(
                slots.modelFile(staged),
                slots.evalFile(staged),
                staged.hasReference() ? slots.referenceFile(staged) : null,
                a.maxAccuracyDrop(),
                threads,
                smokeMaxSamples);
        slots.activate(staged);
      } catch (AgentException e) {
        model.close();
        throw e;
      }
      activator.activate(model);
      LOG.log(Level.INFO, "{0}: build {1} installed: {2}", deviceId, a.buildKey(), describe(staged, smoke));
      report(a, FeedbackStatus.INSTALLED, describe(staged, smoke));
      report(a, FeedbackStatus.RUNNING, null);
      return new InstallOutcome.Installed(staged, smoke);
    } catch (AgentException e) {
      if (e.code().retriable() && !finalAttempt) {
        LOG.log(Level.WARNING, "{0}: install of {1} will be retried: {2}", deviceId, a.buildKey(), e.reason());
        return new InstallOutcome.Retry(e);
      }
      LOG.log(Level.WARNING, "{0}: build {1} rejected: {2}", deviceId, a.buildKey(), e.reason());
      report(a, FeedbackStatus.FAILED, e.reason());
      return new InstallOutcome.Failed(e);
    }
  }

  private static void validate(DeviceAssignment a) {
    if (!BUILD_KEY.matcher(a.buildKey()).matches()) {
      throw new AgentException(AgentErrorCode.INTEGRITY_MISMATCH, "malformed build key '" + a.buildKey() + "'");
    }
    if (a.artifactSha256() == null || !SHA256.matcher(a.artifactSha256().toLowerCase(Locale.ROOT)).matches()) {
      throw new AgentException(AgentErrorCode.INTEGRITY_MISMATCH, "assignment has no valid artifact sha256");
    }
    if (a.sizeBytes() <= 0) {
      throw new AgentException(AgentErrorCode.INTEGRITY_MISMATCH, "assignment has no valid artifact size: " + a.sizeBytes());
    }
    if (a.artifactUrl() == null) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, "assignment has no artifact URL");
    }
  }

  private static URI uri(String value, String field) {
    try {
      URI u = new URI(value);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, field + " is not an http(s) URL");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new AgentException(AgentErrorCode.DOWNLOAD_FAILED, field + " is not a URL: " + e.getMessage(), e);
    }
  }

  private static String describe(SlotManifest slot, SmokeResult smoke) {
    return String.format(
        Locale.ROOT,
        "slot %s; smoke test on %d samples: top1Accuracy=%s agreement=%s (required %s)",
        slot.slot(), smoke.samples(), fmt(smoke.top1Accuracy()), fmt(smoke.agreement()), fmt(smoke.requiredAgreement()));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the verified download is a cache entry; a later install of the same build re-verifies it
      LOG.log(Level.WARNING, "{0}: cannot delete {1}: {2}", deviceId, file, e);
    }
  }

  private void report(DeviceAssignment a, FeedbackStatus status, String reason) {
    feedback.accept(new DeviceFeedback(deviceId, a.rolloutId(), a.buildKey(), status, reason, clock.instant()));
  }
}
