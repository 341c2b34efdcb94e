package io.edgefleet.planner.latency;

import io.edgefleet.planner.LayerProfile;
import io.edgefleet.planner.PlannerErrorCode;
import io.edgefleet.planner.PlannerException;
import io.edgefleet.planner.Precision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Per-layer, per-precision latency of one model on one hardware class, in microseconds per inference.
 *
 * <p>Tables are seeded by host micro-benchmarks ({@link Source#SEEDED}) and refined by latencies measured on devices
 * of the class ({@link Source#MEASURED}). {@link #merge} lets measured values override seeded ones, never the other
 * way round; between two values of the same source the newer table wins. Immutable.
 *
 * @param hardwareClass the hardware class id (canonical hash of the capability set)
 * @param entries layer id → precision → entry, sorted by layer id
 */
public record LatencyTable(String hardwareClass, Map<String, Map<Precision, Entry>> entries) {

    /** Where a latency value comes from. */
    public enum Source {
        /** Micro-benchmarked on a host standing in for the class. */
        SEEDED,
        /** Measured on devices of the class (fleet telemetry). */
        MEASURED
    }

    /** One latency value. */
    public record Entry(double micros, Source source) {
        public Entry {
            Objects.requireNonNull(source, "source");
            if (!Double.isFinite(micros) || micros < 0) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                        "latency must be a finite number >= 0 µs, was " + micros);
            }
        }
    }

    public LatencyTable {
        Objects.requireNonNull(hardwareClass, "hardwareClass");
        TreeMap<String, Map<Precision, Entry>> copy = new TreeMap<>();
        Objects.requireNonNull(entries, "entries").forEach((layerId, byPrecision) -> {
            EnumMap<Precision, Entry> row = new EnumMap<>(Precision.class);
            byPrecision.forEach((precision, entry) -> row.put(Objects.requireNonNull(precision, "precision"),
                    Objects.requireNonNull(entry, "entry")));
            copy.put(Objects.requireNonNull(layerId, "layerId"), Collections.unmodifiableMap(row));
        });
        entries = Collections.unmodifiableMap(copy);
    }

    public static LatencyTable empty(String hardwareClass) {
        return new LatencyTable(hardwareClass, Map.of());
    }

    /** A table of host-benchmarked values. */
    public static LatencyTable seeded(String hardwareClass, Map<String, Map<Precision, Double>> micros) {
        return of(hardwareClass, micros, Source.SEEDED);
    }

    /** A table of device-measured values. */
    public static LatencyTable measured(String hardwareClass, Map<String, Map<Precision, Double>> micros) {
        return of(hardwareClass, micros, Source.MEASURED);
    }

    private static LatencyTable of(String hardwareClass, Map<String, Map<Precision, Double>> micros, Source source) {
        Map<String, Map<Precision, Entry>> entries = new TreeMap<>();
        micros.forEach((layerId, row) -> {
            Map<Precision, Entry> converted = new EnumMap<>(Precision.class);
            row.forEach((precision, value) -> converted.put(precision, new Entry(
                    Objects.requireNonNull(value, "latency of " + layerId + "/" + precision), source)));
            entries.put(layerId, converted);
        });
        return new LatencyTable(hardwareClass, entries);
    }

    public Optional<Entry> entry(String layerId, Precision precision) {
        return Optional.ofNullable(entries.getOrDefault(layerId, Map.of()).get(precision));
    }

    public OptionalDouble micros(String layerId, Precision precision) {
        return entry(layerId, precision).map(e -> OptionalDouble.of(e.micros())).orElse(OptionalDouble.empty());
    }

    /** Number of (layer, precision) values. */
    public int size() {
        return entries.values().stream().mapToInt(Map::size).sum();
    }

    /**
     * Merges {@code newer} into this table: its values replace this table's, except that a seeded value never
     * replaces a measured one.
     *
     * @throws PlannerException {@code INVALID_INPUT} if the tables belong to different hardware classes
     */
    public LatencyTable merge(LatencyTable newer) {
        if (!hardwareClass.equals(newer.hardwareClass)) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "cannot merge latency tables of hardware "
                    + "classes '" + hardwareClass + "' and '" + newer.hardwareClass + "'");
        }
        Map<String, Map<Precision, Entry>> merged = new TreeMap<>();
        entries.forEach((layerId, row) -> merged.put(layerId, new EnumMap<>(row)));
        newer.entries.forEach((layerId, row) -> {
            Map<Precision, Entry> target = merged.computeIfAbsent(layerId, id -> new EnumMap<>(Precision.class));
            row.forEach((precision, entry) -> {
                Entry existing = target.get(precision);
                boolean keepExisting = existing != null && existing.source() == Source.MEASURED
                        && entry.source() == Source.SEEDED;
                if (!keepExisting) {
                    target.put(precision, entry);
                }
            });
        });
        return new LatencyTable(hardwareClass, merged);
    }

    /**
     * Returns the profiles with this table's latencies: a table value replaces the profile's value for the same
     * precision; precisions the table lacks keep the profile's value.
     */
    public List<LayerProfile> applyTo(List<LayerProfile> layers) {
        List<LayerProfile> result = new ArrayList<>(layers.size());
        for (LayerProfile layer : layers) {
            Map<Precision, Double> latencies = new EnumMap<>(Precision.class);
            latencies.putAll(layer.latencyMicros());
            entries.getOrDefault(layer.layerId(), Map.of())
                    .forEach((precision, entry) -> latencies.put(precision, entry.micros()));
            result.add(layer.withLatencyMicros(latencies));
        }
        return List.copyOf(result);
    }
}
