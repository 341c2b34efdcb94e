package io.edgefleet.controlplane.profiles;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.planner.Planner;
import io.edgefleet.planner.PlannerOptions;
import io.edgefleet.planner.hardware.HardwarePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The planner-backed profile picker, configured from {@code edgefleet.planning.*} (loads the OR-Tools natives once). */
@ApplicationScoped
public class PlanningProducer {
  @Produces
  @Singleton
  PlannerProfilePicker profilePicker(EdgefleetConfig config) {
    EdgefleetConfig.Planning p = config.planning();
    if (p.paretoSteps() < 2 || p.paretoSteps() > 51) {
      throw new IllegalArgumentException("edgefleet.planning.pareto-steps must be in [2, 51], was " + p.paretoSteps());
    }
    Planner planner = new Planner(PlannerOptions.defaults().withTimeLimit(p.timeLimit()));
    return new PlannerProfilePicker(planner, new HardwarePolicy(p.storageFraction(), p.ramFraction()));
  }
}
