package io.edgefleet.controlplane.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.messaging.EventPublisher;
import io.edgefleet.controlplane.models.AnalysisStatus;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.models.ModelService;
import io.edgefleet.planner.Precision;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.LayerAnalysis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Model analysis: requested from the worker group when a model version is registered (or re-requested by an operator),
 * answered on {@code fleet.analysis.results}. Stores the measured per-layer table the planner plans from.
 */
@ApplicationScoped
public class AnalysisService {
  private static final Logger LOG = Logger.getLogger(AnalysisService.class);

  private final EventPublisher publisher;
  private final Clock clock = Clock.systemUTC();

  public AnalysisService(EventPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * Marks the model PENDING and publishes {@link AnalysisRequested}; runs in the caller's transaction so that a failed
   * publish rolls the registration back (no model without a request).
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void request(Model m) {
    Instant now = clock.instant();
    m.analysisStatus = AnalysisStatus.PENDING;
    m.analysisRequestedAt = now;
    m.analysisUpdatedAt = now;
    m.analysisErrorCode = null;
    m.analysisErrorMessage = null;
    m.analysisRetriable = null;
    publisher.publish(new AnalysisRequested(m.id, m.sha256, m.objectKey, m.calibrationKey, m.evalKey, now));
    LOG.infof("requested analysis of model %s (%s)", m.id, m.sha256);
  }

  /**
   * Asks the workers again (after a failure, or when a request seems lost). A READY analysis is final: 409.
   */
  @Transactional
  public Model reRequest(String modelId) {
    Model m = ModelService.find(modelId);
    if (m.analysisStatus == AnalysisStatus.READY) {
      throw new ControlPlaneException(ErrorCode.MODEL_ANALYSIS_READY,
          "the analysis of model " + modelId + " is already READY; nothing to re-request");
    }
    request(m);
    return m;
  }

  /** Stores a completed analysis and marks the model READY (idempotent: a redelivery replaces the same row). */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<Model> recordCompleted(AnalysisCompleted e) {
    validate(e);
    List<Model> targets = targets(e.modelId(), e.modelSha256());
    String layersJson = json(e.layers());
    Instant now = clock.instant();
    for (Model m : targets) {
      StoredAnalysis found = StoredAnalysis.findById(m.id);
      StoredAnalysis a = found == null ? new StoredAnalysis() : found;
      a.modelId = m.id;
      a.modelSha256 = e.modelSha256();
      a.workerId = e.workerId();
      a.floatSizeBytes = e.floatSizeBytes();
      a.fixedBytes = e.fixedBytes();
      a.sensitivitySamples = e.sensitivitySamples();
      a.latencyHost = e.latencyHost();
      a.durationMillis = e.durationMillis();
      a.completedAt = e.completedAt() != null ? e.completedAt() : now;
      a.receivedAt = now;
      a.layersJson = layersJson;
      if (found == null) {
        a.persist();
      }
      m.analysisStatus = AnalysisStatus.READY;
      m.analysisUpdatedAt = now;
      m.analysisErrorCode = null;
      m.analysisErrorMessage = null;
      m.analysisRetriable = null;
      LOG.infof("analysis of model %s ready: %d layers, worker %s", m.id, e.layers().size(), e.workerId());
    }
    return targets;
  }

  /** Records a failed analysis; a failure never overrides a READY analysis (e.g. a late duplicate). */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<Model> recordFailed(AnalysisFailed e) {
    List<Model> targets = targets(e.modelId(), e.modelSha256());
    for (Model m : targets) {
      if (m.analysisStatus == AnalysisStatus.READY) {
        LOG.warnf("ignoring analysis failure of model %s, its analysis is READY: %s %s", m.id, e.errorCode(),
            e.message());
        continue;
      }
      m.analysisStatus = AnalysisStatus.FAILED;
      m.analysisUpdatedAt = clock.instant();
      m.analysisErrorCode = e.errorCode();
      m.analysisErrorMessage = e.message();
      m.analysisRetriable = e.retriable();
      LOG.warnf("analysis of model %s failed (%s): %s %s", m.id, e.retriable() ? "retriable" : "fatal",
          e.errorCode(), e.message());
    }
    return targets;
  }

  /**
   * The READY analysis of a model, for planning.
   *
   * @throws ControlPlaneException 409 {@code model.analysis-pending} / {@code model.analysis-failed} otherwise
   */
  public AnalysisData requireReady(Model m) {
    if (m.analysisStatus == AnalysisStatus.PENDING) {
      throw new ControlPlaneException(ErrorCode.MODEL_ANALYSIS_PENDING, "the analysis of model " + m.id
          + " is PENDING (requested " + m.analysisRequestedAt + "); wait until GET /api/models/" + m.id
          + " shows analysisStatus READY").with("analysisStatus", AnalysisStatus.PENDING.name());
    }
    if (m.analysisStatus == AnalysisStatus.FAILED) {
      throw new ControlPlaneException(ErrorCode.MODEL_ANALYSIS_FAILED, "the analysis of model " + m.id
          + " FAILED: " + m.analysisErrorCode + " " + m.analysisErrorMessage
          + (Boolean.TRUE.equals(m.analysisRetriable)
              ? " (retriable: POST /api/models/" + m.id + "/analysis asks again)" : " (not retriable)"))
          .with("analysisStatus", AnalysisStatus.FAILED.name()).with("analysisErrorCode", m.analysisErrorCode)
          .with("retriable", Boolean.TRUE.equals(m.analysisRetriable));
    }
    StoredAnalysis a = StoredAnalysis.findById(m.id);
    if (a == null) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "model " + m.id + " is READY but has no stored analysis");
    }
    return new AnalysisData(a.modelId, a.modelSha256, a.workerId, a.floatSizeBytes, a.fixedBytes,
        a.sensitivitySamples, a.latencyHost, a.durationMillis, a.completedAt, layers(a.layersJson, m.id));
  }

  /** Models a result is about: the named model version, or every version with that content when none is named. */
  private List<Model> targets(String modelId, String sha256) {
    if (modelId != null) {
      Model m = Model.findById(modelId);
      if (m == null) {
        throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "analysis result for unknown model " + modelId);
      }
      if (!m.sha256.equals(sha256)) {
        throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "analysis result for model " + modelId
            + " names sha256 " + sha256 + " but the model's content is " + m.sha256);
      }
      return List.of(m);
    }
    List<Model> all = Model.list("sha256", sha256);
    if (all.isEmpty()) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "analysis result for unknown model content " + sha256);
    }
    return all;
  }

  /** Rejects analyses the planner could not use (the record is then dead-lettered with this reason). */
  static void validate(AnalysisCompleted e) {
    if (e.layers().isEmpty()) {
      throw invalid("analysis of " + e.modelSha256() + " has no decision layers");
    }
    if (e.fixedBytes() < 0) {
      throw invalid("fixedBytes must be >= 0, was " + e.fixedBytes());
    }
    Set<String> ids = new HashSet<>();
    for (LayerAnalysis l : e.layers()) {
      if (l.layerId().isBlank() || !ids.add(l.layerId())) {
        throw invalid("layer id '" + l.layerId() + "' is blank or duplicated");
      }
      if (l.options().isEmpty()) {
        throw invalid("layer " + l.layerId() + " has no precision options");
      }
      for (Map.Entry<String, LayerAnalysis.PrecisionOption> o : l.options().entrySet()) {
        try {
          Precision.fromKey(o.getKey());
        } catch (PlannerException ex) {
          throw invalid("layer " + l.layerId() + ": " + ex.getMessage());
        }
        LayerAnalysis.PrecisionOption p = o.getValue();
        if (p == null || p.sizeBytes() < 0 || !(p.agreement() >= 0 && p.agreement() <= 1)
            || !Double.isFinite(p.latencyMicros())) {
          throw invalid("layer " + l.layerId() + " " + o.getKey()
              + ": size must be >= 0, agreement in [0, 1] and latency finite, was " + p);
        }
      }
    }
  }

  private static ControlPlaneException invalid(String message) {
    return new ControlPlaneException(ErrorCode.ANALYSIS_INVALID, message);
  }

  private static String json(List<LayerAnalysis> layers) {
    try {
      return EventCodec.mapper().writeValueAsString(layers);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot serialise the analysis layers", e);
    }
  }

  static List<LayerAnalysis> layers(String json, String modelId) {
    try {
      return EventCodec.mapper().readValue(json, new TypeReference<List<LayerAnalysis>>() {});
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "stored analysis of model " + modelId + " is unreadable",
          e);
    }
  }
}
