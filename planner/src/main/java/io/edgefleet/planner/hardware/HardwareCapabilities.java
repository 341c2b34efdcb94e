package io.edgefleet.planner.hardware;

import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a device reports about itself, as far as planning is concerned.
 *
 * @param arch CPU architecture, e.g. {@code x86_64}, {@code aarch64}
 * @param cpuFeatures CPU flags as the OS reports them (e.g. {@code asimddp}, {@code avx512_vnni}); lower-cased
 * @param cores CPU cores
 * @param ramBytes free (or usable) RAM
 * @param storageBytes free storage for models
 * @param acceleratorType {@code none}, {@code npu}, {@code gpu} or {@code edgetpu}; lower-cased
 * @param acceleratorPrecisions precisions the accelerator's delegate executes; empty = the type's default
 */
public record HardwareCapabilities(
        String arch,
        Set<String> cpuFeatures,
        int cores,
        long ramBytes,
        long storageBytes,
        String acceleratorType,
        Set<Precision> acceleratorPrecisions) {

    public static final String NONE = "none";
    public static final String NPU = "npu";
    public static final String GPU = "gpu";
    public static final String EDGETPU = "edgetpu";
    private static final Set<String> ACCELERATOR_TYPES = Set.of(NONE, NPU, GPU, EDGETPU);

    public HardwareCapabilities {
        Objects.requireNonNull(arch, "arch");
        TreeSet<String> features = new TreeSet<>();
        if (cpuFeatures != null) {
            cpuFeatures.forEach(f -> features.add(f.trim().toLowerCase(Locale.ROOT)));
        }
        cpuFeatures = Collections.unmodifiableSet(features);
        if (cores < 1 || ramBytes < 0 || storageBytes < 0) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                    "cores must be >= 1 and ram/storage >= 0, was " + cores + "/" + ramBytes + "/" + storageBytes);
        }
        acceleratorType = acceleratorType == null || acceleratorType.isBlank()
                ? NONE : acceleratorType.trim().toLowerCase(Locale.ROOT);
        if (!ACCELERATOR_TYPES.contains(acceleratorType)) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "unknown accelerator type '" + acceleratorType
                    + "', expected one of " + new TreeSet<>(ACCELERATOR_TYPES));
        }
        EnumSet<Precision> precisions = EnumSet.noneOf(Precision.class);
        if (acceleratorPrecisions != null) {
            precisions.addAll(acceleratorPrecisions);
        }
        acceleratorPrecisions = Collections.unmodifiableSet(precisions);
    }

    /** A CPU-only device. */
    public static HardwareCapabilities cpu(String arch, Set<String> cpuFeatures, int cores, long ramBytes,
            long storageBytes) {
        return new HardwareCapabilities(arch, cpuFeatures, cores, ramBytes, storageBytes, NONE, Set.of());
    }
}
