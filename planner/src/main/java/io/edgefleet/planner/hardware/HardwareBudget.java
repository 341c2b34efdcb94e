package io.edgefleet.planner.hardware;

import io.edgefleet.planner.PlanConstraints;
import io.edgefleet.planner.Precision;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Planning constraints derived from a device's capabilities.
 *
 * @param allowedPrecisions precisions the device's kernels or accelerator execute
 * @param maxModelBytes largest model the device should hold
 * @param rationale human-readable explanation of both, for operators
 */
public record HardwareBudget(Set<Precision> allowedPrecisions, long maxModelBytes, String rationale) {

    public HardwareBudget {
        allowedPrecisions = Collections.unmodifiableSet(EnumSet.copyOf(allowedPrecisions));
        Objects.requireNonNull(rationale, "rationale");
    }

    /**
     * Narrows {@code base} to this device: allowed precisions are intersected with the base's (an empty base set
     * means all), and the size budget becomes the smaller of the two.
     */
    public PlanConstraints applyTo(PlanConstraints base) {
        EnumSet<Precision> allowed = EnumSet.copyOf(allowedPrecisions);
        if (!base.allowedPrecisions().isEmpty()) {
            allowed.retainAll(base.allowedPrecisions());
        }
        long size = base.maxSizeBytes() == null ? maxModelBytes : Math.min(base.maxSizeBytes(), maxModelBytes);
        return base.withAllowedPrecisions(allowed).withMaxSizeBytes(size);
    }
}
