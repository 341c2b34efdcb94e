package io.edgefleet.controlplane.profiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.OpTiming;
import io.edgefleet.schemas.events.QuantizationPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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
  private static final TypeReference<List<OpTiming>> OP_LIST = new TypeReference<>() {};

  private final EntityManager em;

  public DeviceLatencyCalibrator(EntityManager em) {
    this.em = em;
  }

  /** {@code analysis} with its latencies in the class's device time when the class's devices profiled the model. */
  @Transactional
  public AnalysisData forClass(String hardwareClass, AnalysisData analysis) {
    List<DeviceLatencyCalibration.Sample> samples = samples(hardwareClass, analysis.modelSha256());
    if (samples.isEmpty()) {
      return analysis;
    }
    return DeviceLatencyCalibration.factor(analysis, samples).map(f -> {
      LOG.debugf("latency table of model %s for %s: worker host × %.3f (%d profiles, %d builds, %d unusable)",
          analysis.modelId(), hardwareClass, f.factor(), f.samples(), f.builds(), f.skipped());
      return DeviceLatencyCalibration.apply(analysis, hardwareClass, f);
    }).orElse(analysis);
  }

  private List<DeviceLatencyCalibration.Sample> samples(String hardwareClass, String modelSha256) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("""
        SELECT p.build_key, p.device_id, b.mode, b.plan_json, p.ops
          FROM device_op_profile p JOIN build b ON b.build_key = p.build_key
         WHERE p.hardware_class = ?1 AND b.model_sha256 = ?2
         ORDER BY p.build_key, p.device_id""")
        .setParameter(1, hardwareClass).setParameter(2, modelSha256).getResultList();
    List<DeviceLatencyCalibration.Sample> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      try {
        QuantizationPlan plan = r[3] == null ? null
            : EventCodec.mapper().readValue((String) r[3], QuantizationPlan.class);
        Map<String, String> layers = plan == null ? Map.of() : plan.layerPrecisions();
        out.add(new DeviceLatencyCalibration.Sample((String) r[0], (String) r[1], (String) r[2], layers,
            EventCodec.mapper().readValue((String) r[4], OP_LIST)));
      } catch (JsonProcessingException e) {
        throw new ControlPlaneException(ErrorCode.INTERNAL, "stored plan or operator profile of build " + r[0]
            + " on " + r[1] + " is unreadable", e);
      }
    }
    return out;
  }
}
