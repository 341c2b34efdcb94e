package io.edgefleet.controlplane.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefleet.controlplane.analysis.AnalysisService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.storage.ObjectKeys;
import io.edgefleet.controlplane.storage.ObjectStorage;
import io.edgefleet.quantization.model.ModelSummary;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildKeys;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Model registry: validated, content-addressed float models with their calibration and evaluation sets. */
@ApplicationScoped
public class ModelService {
  private static final Logger LOG = Logger.getLogger(ModelService.class);
  private static final String TFLITE_TYPE = "application/vnd.tflite";
  private static final String EFS_TYPE = "application/octet-stream";

  private final ObjectStorage storage;
  private final AnalysisService analyses;
  private final Clock clock = Clock.systemUTC();

  public ModelService(ObjectStorage storage, AnalysisService analyses) {
    this.storage = storage;
    this.analyses = analyses;
  }

  /** Result of an upload: the model and whether a new version was created. */
  public record Registered(Model model, boolean created) {}

  /**
   * Validates and registers a model version. Nothing is stored unless validation passes; uploading the same name and
   * the same three files again returns the existing version.
   */
  @Transactional
  public Registered register(String name, byte[] modelBytes, byte[] calibration, byte[] eval) {
    ValidatedUpload valid = ModelValidator.validate(modelBytes, calibration, eval);
    String sha = BuildKeys.sha256Hex(modelBytes);
    String calSha = BuildKeys.sha256Hex(calibration);
    String evalSha = BuildKeys.sha256Hex(eval);
    Model same = Model.find("name = ?1 and sha256 = ?2 and calibrationSha256 = ?3 and evalSha256 = ?4",
        name, sha, calSha, evalSha).firstResult();
    if (same != null) {
      return new Registered(same, false);
    }
    storage.putIfAbsent(ObjectKeys.model(sha), modelBytes, TFLITE_TYPE);
    storage.putIfAbsent(ObjectKeys.samples(calSha), calibration, EFS_TYPE);
    storage.putIfAbsent(ObjectKeys.samples(evalSha), eval, EFS_TYPE);

    ModelSummary s = valid.summary();
    Model m = new Model();
    m.id = UUID.randomUUID().toString();
    m.name = name;
    Integer latest = Model.find("select max(m.version) from Model m where m.name = ?1", name)
        .project(Integer.class).firstResult();
    m.version = latest == null ? 1 : latest + 1;
    m.sha256 = sha;
    m.sizeBytes = modelBytes.length;
    m.objectKey = ObjectKeys.model(sha);
    m.calibrationSha256 = calSha;
    m.calibrationKey = ObjectKeys.samples(calSha);
    m.calibrationSamples = valid.calibrationSamples();
    m.evalSha256 = evalSha;
    m.evalKey = ObjectKeys.samples(evalSha);
    m.evalSamples = valid.evalSamples();
    m.inputShape = s.inputShape().toString();
    m.inputType = s.inputType();
    m.outputShape = s.outputShape().toString();
    m.operatorCount = s.operatorCount();
    m.opCountsJson = write(s.opCounts());
    m.totalMacs = s.totalMacs();
    m.totalParameters = s.totalParameters();
    m.createdAt = clock.instant();
    // the insert carries the state at persist time: the analysis status column is NOT NULL
    m.analysisStatus = AnalysisStatus.PENDING;
    m.analysisRequestedAt = m.createdAt;
    m.analysisUpdatedAt = m.createdAt;
    m.persist();
    analyses.request(m);
    LOG.infof("registered model %s v%d (%s, %d bytes, ops %s)", name, m.version, sha, m.sizeBytes, s.opCounts());
    return new Registered(m, true);
  }

  public Model require(String id) {
    return find(id);
  }

  /** The model or {@link ErrorCode#MODEL_NOT_FOUND}. */
  public static Model find(String id) {
    Model m = Model.findById(id);
    if (m == null) {
      throw ControlPlaneException.notFound(ErrorCode.MODEL_NOT_FOUND, "model", id);
    }
    return m;
  }

  public List<Model> list() {
    return Model.listAll(Sort.by("name").and("version", Sort.Direction.Descending));
  }

  /** Operator names and counts of a stored model. */
  public static Map<String, Integer> opCounts(Model m) {
    try {
      return EventCodec.mapper().readValue(m.opCountsJson, new TypeReference<Map<String, Integer>>() {});
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "stored op counts of model " + m.id + " are unreadable", e);
    }
  }

  public static ModelView view(Model m) {
    return new ModelView(m.id, m.name, m.version, m.sha256, m.sizeBytes, m.objectKey, m.calibrationSha256,
        m.calibrationSamples, m.evalSha256, m.evalSamples, shape(m.inputShape), m.inputType, shape(m.outputShape),
        m.operatorCount, opCounts(m), m.totalMacs, m.totalParameters, m.createdAt, m.analysisStatus,
        m.analysisRequestedAt, m.analysisUpdatedAt, m.analysisStatus == AnalysisStatus.FAILED
            ? new ModelView.AnalysisError(m.analysisErrorCode, m.analysisErrorMessage,
                Boolean.TRUE.equals(m.analysisRetriable))
            : null);
  }

  private static List<Integer> shape(String text) {
    String inner = text.replace("[", "").replace("]", "").trim();
    if (inner.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(inner.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  private static String write(Object value) {
    try {
      return EventCodec.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot serialise model summary", e);
    }
  }
}
