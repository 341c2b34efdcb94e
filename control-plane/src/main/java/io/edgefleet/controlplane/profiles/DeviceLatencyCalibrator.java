package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.telemetry.OpProfileAggregator;
import io.edgefleet.controlplane.telemetry.TelemetryService;
import io.edgefleet.schemas.events.QuantizationPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Gives the planner a hardware class's latency table: the model's worker-host table scaled by what the class's
 * devices measured on earlier builds of the same model ({@link DeviceLatencyCalibration}); the worker-host table
 * unchanged while the class has no usable device profile.
 */
@ApplicationScoped
public class DeviceLatencyCalibrator {
  private static final Logger LOG = Logger.getLogger(DeviceLatencyCalibrator.class);

  private final TelemetryService telemetry;

  public DeviceLatencyCalibrator(TelemetryService telemetry) {
    this.telemetry = telemetry;
  }

  /** {@code analysis} with its latencies in the class's device time when the class's devices profiled the model. */
  @Transactional
  public AnalysisData forClass(String hardwareClass, AnalysisData analysis) {
    Map<String, List<OpProfileAggregator.DeviceProfile>> byBuild =
        telemetry.latestOpProfiles(hardwareClass, analysis.modelSha256());
    if (byBuild.isEmpty()) {
      return analysis;
    }
    List<DeviceLatencyCalibration.Sample> samples = new ArrayList<>();
    byBuild.forEach((buildKey, profiles) -> {
      Build build = Build.findById(buildKey);
      QuantizationPlan plan = BuildService.read(build.planJson, QuantizationPlan.class);
      Map<String, String> layers = plan == null ? Map.of() : plan.layerPrecisions();
      profiles.forEach(p -> samples.add(new DeviceLatencyCalibration.Sample(buildKey, p.deviceId(), build.mode,
          layers, p.ops())));
    });
    return DeviceLatencyCalibration.factor(analysis, samples).map(f -> {
      LOG.debugf("latency table of model %s for %s: worker host × %.3f (%d profiles, %d builds, %d unusable)",
          analysis.modelId(), hardwareClass, f.factor(), f.samples(), f.builds(), f.skipped());
      return DeviceLatencyCalibration.apply(analysis, hardwareClass, f);
    }).orElse(analysis);
  }
}
