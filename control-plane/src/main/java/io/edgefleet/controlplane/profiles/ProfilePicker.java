package io.edgefleet.controlplane.profiles;

import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.events.QuantizationPlan;
import java.util.Set;

/**
 * Chooses the quantization plan for one hardware class and one model. The walking skeleton uses
 * {@link RuleBasedProfilePicker}; the ILP planner replaces this bean later.
 */
public interface ProfilePicker {

  /**
   * @param hardware capabilities of the hardware class (any device of the class)
   * @param modelOps builtin operator names the float model uses
   */
  QuantizationPlan pick(HardwareProfile hardware, Set<String> modelOps);
}
