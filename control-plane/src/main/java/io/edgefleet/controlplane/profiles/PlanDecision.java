package io.edgefleet.controlplane.profiles;

import io.edgefleet.schemas.events.QuantizationPlan;
import java.util.Objects;

/** The plan chosen for one hardware class and why. */
public record PlanDecision(String hardwareClass, QuantizationPlan plan, PlanExplanation explanation) {
  public PlanDecision {
    Objects.requireNonNull(hardwareClass, "hardwareClass");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(explanation, "explanation");
  }
}
