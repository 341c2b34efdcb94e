package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.schemas.api.HardwareProfile;
import java.util.List;

/** Chooses the quantization plan for one hardware class and one analysed model. */
public interface ProfilePicker {

  /**
   * @param hardwareClass the class id
   * @param devices hardware of the class's devices (at least one); the smallest RAM / storage among them bounds the
   *     build every device of the class shares
   * @param analysis the model's READY analysis
   * @param slo the rollout's SLOs
   * @throws io.edgefleet.controlplane.errors.ControlPlaneException {@code plan.infeasible} (422) naming the class,
   *     the constraint that cannot be met and the smallest achievable value
   */
  PlanDecision pick(String hardwareClass, List<HardwareProfile> devices, AnalysisData analysis, Slo slo);
}
