package io.edgefleet.planner.hardware;

import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;

/**
 * How much of a device a model may take.
 *
 * @param storageFraction share of free storage one model may use; the agent keeps two A/B slots plus a telemetry
 *     spool, hence a default of 0.10
 * @param ramFraction share of free RAM one model may use (the model is memory-mapped and the interpreter's arena
 *     comes on top), default 0.25
 */
public record HardwarePolicy(double storageFraction, double ramFraction) {

    public HardwarePolicy {
        if (!(storageFraction > 0 && storageFraction <= 1) || !(ramFraction > 0 && ramFraction <= 1)) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                    "storage and RAM fractions must be in (0, 1], were " + storageFraction + "/" + ramFraction);
        }
    }

    public static HardwarePolicy defaults() {
        return new HardwarePolicy(0.10, 0.25);
    }
}
