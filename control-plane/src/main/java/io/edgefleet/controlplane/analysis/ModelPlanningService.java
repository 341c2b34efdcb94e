package io.edgefleet.controlplane.analysis;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.devices.Device;
import io.edgefleet.controlplane.devices.DeviceFilter;
import io.edgefleet.controlplane.devices.DeviceService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.models.AnalysisStatus;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.models.ModelService;
import io.edgefleet.controlplane.models.ModelView;
import io.edgefleet.controlplane.profiles.DeviceLatencyCalibrator;
import io.edgefleet.controlplane.profiles.ParetoView;
import io.edgefleet.controlplane.profiles.PlanDecision;
import io.edgefleet.controlplane.profiles.PlannerProfilePicker;
import io.edgefleet.controlplane.profiles.Slo;
import io.edgefleet.planner.pareto.ParetoAxis;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.LayerAnalysis;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Read-only planning queries on an analysed model: its layer table, Pareto frontiers and would-be plans. */
@ApplicationScoped
public class ModelPlanningService {
  private final AnalysisService analyses;
  private final DeviceService devices;
  private final PlannerProfilePicker picker;
  private final EdgefleetConfig config;
  private final DeviceLatencyCalibrator latencyTables;

  public ModelPlanningService(AnalysisService analyses, DeviceService devices, PlannerProfilePicker picker,
      EdgefleetConfig config, DeviceLatencyCalibrator latencyTables) {
    this.latencyTables = latencyTables;
    this.analyses = analyses;
    this.devices = devices;
    this.picker = picker;
    this.config = config;
  }

  public AnalysisView analysis(String modelId) {
    Model m = ModelService.find(modelId);
    AnalysisData a = analyses.requireReady(m);
    List<AnalysisView.Layer> layers = new ArrayList<>();
    for (LayerAnalysis l : a.layers()) {
      Map<String, AnalysisView.Option> options = new TreeMap<>();
      l.options().forEach((key, o) -> options.put(key, new AnalysisView.Option(o.sizeBytes(),
          o.latencyMicros() >= 0 ? o.latencyMicros() : null, o.agreement(), Math.max(0, 1 - o.agreement()),
          o.outputMse(), o.outputKl(), o.weightProxy() >= 0 ? o.weightProxy() : null)));
      layers.add(new AnalysisView.Layer(l.layerId(), l.opType(), l.paramCount(), l.macs(), l.tieGroup(), options));
    }
    return new AnalysisView(m.id, m.sha256, m.analysisStatus, m.analysisRequestedAt, m.analysisUpdatedAt,
        m.analysisStatus == AnalysisStatus.FAILED ? new ModelView.AnalysisError(m.analysisErrorCode,
            m.analysisErrorMessage, Boolean.TRUE.equals(m.analysisRetriable)) : null,
        a.workerId(), a.floatSizeBytes(), a.fixedBytes(), a.sensitivitySamples(), a.latencyHost(), a.durationMillis(),
        a.completedAt(), layers);
  }

  public ParetoView pareto(String modelId, String hardwareClass, String axis, Integer steps) {
    ParetoAxis parsed = axis(axis);
    int n = steps == null ? config.planning().paretoSteps() : steps;
    if (n < 2 || n > 51) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "steps must be in [2, 51], was " + n);
    }
    Model m = ModelService.find(modelId);
    List<HardwareProfile> hardware = hardwareOf(requireClass(hardwareClass));
    return picker.pareto(hardwareClass, hardware, latencyTables.forClass(hardwareClass, analyses.requireReady(m)),
        parsed, n);
  }

  public PlanView plan(String modelId, String hardwareClass, Double maxAccuracyDrop, Double maxLatencyMicros) {
    if (maxAccuracyDrop == null || !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST,
          "query parameter maxAccuracyDrop is required and must be in [0, 1]");
    }
    if (maxLatencyMicros != null && !(maxLatencyMicros > 0)) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "maxLatencyMicros must be > 0");
    }
    Model m = ModelService.find(modelId);
    List<HardwareProfile> hardware = hardwareOf(requireClass(hardwareClass));
    PlanDecision d = picker.pick(hardwareClass, hardware, latencyTables.forClass(hardwareClass,
        analyses.requireReady(m)),
        new Slo(maxAccuracyDrop, maxLatencyMicros));
    return new PlanView(m.id, hardwareClass, d.plan().mode(), d.plan().planHash(),
        BuildKeys.of(m.sha256, d.plan().planHash()), d.plan().layerPrecisions(), d.plan().rationale(),
        d.explanation());
  }

  private List<Device> requireClass(String hardwareClass) {
    if (hardwareClass == null || hardwareClass.isBlank()) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "query parameter hardwareClass is required");
    }
    List<Device> found = devices.find(new DeviceFilter(hardwareClass, Map.of()));
    if (found.isEmpty()) {
      throw new ControlPlaneException(ErrorCode.HARDWARE_CLASS_NOT_FOUND, "no registered device has hardware class '"
          + hardwareClass + "'");
    }
    return found;
  }

  private static List<HardwareProfile> hardwareOf(List<Device> found) {
    return found.stream().map(DeviceService::hardware).toList();
  }

  private static ParetoAxis axis(String axis) {
    if (axis == null || axis.isBlank() || axis.equalsIgnoreCase("size")) {
      return ParetoAxis.SIZE;
    }
    if (axis.equalsIgnoreCase("latency")) {
      return ParetoAxis.LATENCY;
    }
    throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "axis must be 'size' or 'latency', was '" + axis + "'");
  }
}
