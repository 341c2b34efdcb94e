package io.edgefleet.controlplane.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.messaging.EventPublisher;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.profiles.PlanExplanation;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/** Builds: one per (model sha256, plan hash). Requests them from the worker group and records their outcome. */
@ApplicationScoped
public class BuildService {
  private static final Logger LOG = Logger.getLogger(BuildService.class);

  private final EventPublisher publisher;
  private final Clock clock = Clock.systemUTC();

  public BuildService(EventPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * The build of {@code model} under {@code plan}; requested on Kafka only when this build key is not known yet (must
   * run inside the caller's transaction so that the row and the request stand or fall together).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Build ensureBuild(Model model, QuantizationPlan plan, PlanExplanation explanation) {
    String key = BuildKeys.of(model.sha256, plan.planHash());
    Build existing = Build.findById(key);
    if (existing != null) {
      if (existing.explanationJson == null && explanation != null) {
        existing.explanationJson = json(explanation);
      }
      return existing;
    }
    Build b = new Build();
    b.buildKey = key;
    b.modelId = model.id;
    b.modelSha256 = model.sha256;
    b.planHash = plan.planHash();
    b.mode = plan.mode();
    b.planJson = json(plan);
    b.explanationJson = explanation == null ? null : json(explanation);
    b.status = BuildStatus.REQUESTED;
    b.requestedAt = clock.instant();
    b.persist();
    publisher.publish(new BuildRequested(key, model.id, model.sha256, model.objectKey, model.calibrationKey,
        model.evalKey, plan, b.requestedAt));
    LOG.infof("requested build %s (model %s, %s)", key, model.id, plan.mode());
    return b;
  }

  /** Records a completed build (idempotent: redelivery of the same result changes nothing). */
  @Transactional(Transactional.TxType.MANDATORY)
  public Build recordCompleted(BuildCompleted e) {
    Build b = findOrAdopt(e.buildKey(), e.modelSha256(), e.planHash());
    if (b.status == BuildStatus.COMPLETED && e.artifactSha256().equals(b.artifactSha256)) {
      return b;
    }
    b.status = BuildStatus.COMPLETED;
    b.finishedAt = e.completedAt() != null ? e.completedAt() : clock.instant();
    b.artifactKey = e.artifactObjectKey();
    b.artifactSha256 = e.artifactSha256();
    b.sizeBytes = e.sizeBytes();
    b.signature = e.signature();
    b.signingKeyId = e.signingKeyId();
    b.referenceKey = e.referenceOutputsObjectKey();
    b.metricsJson = e.metrics() == null ? null : json(e.metrics());
    b.workerId = e.workerId();
    b.durationMillis = e.durationMillis();
    b.failureCode = null;
    b.failureMessage = null;
    LOG.infof("build %s completed: %s (%d bytes)", b.buildKey, b.artifactKey, b.sizeBytes);
    return b;
  }

  /** Records a failed build; a failure never overrides an already completed build. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Build recordFailed(BuildFailed e) {
    Build b = findOrAdopt(e.buildKey(), null, null);
    if (b.status == BuildStatus.COMPLETED) {
      LOG.warnf("ignoring failure of already completed build %s: %s", b.buildKey, e.message());
      return b;
    }
    b.status = BuildStatus.FAILED;
    b.finishedAt = e.failedAt() != null ? e.failedAt() : clock.instant();
    b.failureCode = e.errorCode();
    b.failureMessage = e.message();
    b.workerId = e.workerId();
    LOG.warnf("build %s failed: %s %s", b.buildKey, e.errorCode(), e.message());
    return b;
  }

  private Build findOrAdopt(String key, String modelSha256, String planHash) {
    Build b = Build.findById(key);
    if (b == null) {
      // a result for a build this instance never requested (e.g. another control-plane instance): record it as is
      b = new Build();
      b.buildKey = key;
      b.modelSha256 = modelSha256;
      b.planHash = planHash;
      b.status = BuildStatus.REQUESTED;
      b.requestedAt = clock.instant();
      b.persist();
    }
    return b;
  }

  public Build require(String key) {
    Build b = Build.findById(key);
    if (b == null) {
      throw ControlPlaneException.notFound(ErrorCode.BUILD_NOT_FOUND, "build", key);
    }
    return b;
  }

  public List<Build> list() {
    return Build.listAll(Sort.descending("requestedAt"));
  }

  public static BuildView view(Build b) {
    return new BuildView(b.buildKey, b.modelId, b.modelSha256, b.planHash, b.mode,
        read(b.planJson, QuantizationPlan.class), b.status, b.requestedAt, b.finishedAt, b.artifactKey,
        b.artifactSha256, b.sizeBytes, b.signature, b.signingKeyId, b.referenceKey,
        read(b.metricsJson, BuildMetrics.class), b.workerId, b.durationMillis, b.failureCode, b.failureMessage,
        read(b.explanationJson, PlanExplanation.class));
  }

  public static BuildMetrics metrics(Build b) {
    return read(b.metricsJson, BuildMetrics.class);
  }

  public static String json(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    if (json == null) {
      return null;
    }
    try {
      return EventCodec.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "stored " + type.getSimpleName() + " is unreadable", e);
    }
  }
}
