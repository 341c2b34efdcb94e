package io.edgefleet.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The planning problem after validation: layers merged into decision groups (tied layers form one group whose
 * options are the precisions every member can use, with summed costs), in a canonical order independent of the input
 * order.
 */
final class PlanningProblem {

    /** One precision choice for a group, with the group's summed costs ({@code latency} NaN if unknown). */
    record Option(Precision precision, double loss, long size, double latency) {
        double cost(BudgetKind kind) {
            return switch (kind) {
                case SIZE -> size;
                case LATENCY -> latency;
                case PREDICTED_LOSS -> loss;
            };
        }
    }

    /** Tied layers (or a single layer) that take one precision together. */
    record Group(List<String> layerIds, List<Option> options) {
    }

    private final List<Group> groups;
    private final int layerCount;
    private final boolean latencyAvailable;

    private PlanningProblem(List<Group> groups, int layerCount) {
        this.groups = List.copyOf(groups);
        this.layerCount = layerCount;
        this.latencyAvailable = groups.stream().flatMap(g -> g.options().stream())
                .allMatch(o -> !Double.isNaN(o.latency()));
    }

    List<Group> groups() {
        return groups;
    }

    int layerCount() {
        return layerCount;
    }

    boolean latencyAvailable() {
        return latencyAvailable;
    }

    /**
     * Validates the input and builds the groups.
     *
     * @param requireLatency when true, a precision without a latency is not a candidate for the layer
     */
    static PlanningProblem build(List<LayerProfile> layers, PlanConstraints constraints, boolean requireLatency) {
        if (layers == null || layers.isEmpty()) {
            throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "no layers to plan");
        }
        Map<String, LayerProfile> byId = new TreeMap<>();
        for (LayerProfile layer : layers) {
            if (byId.put(layer.layerId(), layer) != null) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT, "duplicate layer id '" + layer.layerId()
                        + "'");
            }
        }
        Map<String, EnumSet<Precision>> candidates = new HashMap<>();
        for (LayerProfile layer : byId.values()) {
            EnumSet<Precision> allowed = EnumSet.noneOf(Precision.class);
            allowed.addAll(constraints.allowedFor(layer.opType()));
            EnumSet<Precision> usable = EnumSet.copyOf(allowed);
            usable.retainAll(layer.sensitivity().keySet());
            usable.retainAll(layer.sizeBytes().keySet());
            if (requireLatency) {
                usable.retainAll(layer.latencyMicros().keySet());
            }
            if (usable.isEmpty()) {
                throw new InfeasiblePlanException(PlannerErrorCode.NO_ALLOWED_PRECISION, "layer '" + layer.layerId()
                        + "' (" + layer.opType() + ") has no candidate precision: allowed " + keys(allowed)
                        + ", with sensitivity " + keys(layer.sensitivity().keySet()) + ", with size "
                        + keys(layer.sizeBytes().keySet())
                        + (requireLatency ? ", with latency " + keys(layer.latencyMicros().keySet()) : ""),
                        List.of());
            }
            candidates.put(layer.layerId(), usable);
        }
        List<List<String>> tieGroups = mergeTies(byId.keySet(), constraints.ties());
        List<Group> groups = new ArrayList<>();
        for (List<String> members : tieGroups) {
            EnumSet<Precision> common = EnumSet.allOf(Precision.class);
            members.forEach(id -> common.retainAll(candidates.get(id)));
            if (common.isEmpty()) {
                String detail = members.stream().map(id -> id + "=" + keys(candidates.get(id)))
                        .collect(Collectors.joining(", "));
                throw new InfeasiblePlanException(PlannerErrorCode.TIE_NO_COMMON_PRECISION,
                        "tied layers " + members + " share no candidate precision: " + detail, List.of());
            }
            List<Option> options = new ArrayList<>();
            for (Precision precision : common) {
                double loss = 0;
                long size = 0;
                double latency = 0;
                for (String id : members) {
                    LayerProfile layer = byId.get(id);
                    loss += layer.sensitivity().get(precision);
                    size = Math.addExact(size, layer.sizeBytes().get(precision));
                    Double micros = layer.latencyMicros().get(precision);
                    latency = micros == null ? Double.NaN : latency + micros;
                }
                options.add(new Option(precision, loss, size, latency));
            }
            groups.add(new Group(List.copyOf(members), List.copyOf(options)));
        }
        return new PlanningProblem(groups, byId.size());
    }

    /** Union-find over the tie sets; groups sorted by their smallest layer id, members sorted. */
    private static List<List<String>> mergeTies(Set<String> layerIds, List<Set<String>> ties) {
        Map<String, String> parent = new HashMap<>();
        layerIds.forEach(id -> parent.put(id, id));
        for (Set<String> tie : ties) {
            String first = null;
            for (String id : tie) {
                if (!parent.containsKey(id)) {
                    throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                            "tie " + tie + " names unknown layer '" + id + "'");
                }
                if (first == null) {
                    first = id;
                } else {
                    String a = root(parent, first);
                    String b = root(parent, id);
                    if (!a.equals(b)) {
                        parent.put(a.compareTo(b) < 0 ? b : a, a.compareTo(b) < 0 ? a : b);
                    }
                }
            }
        }
        Map<String, TreeSet<String>> byRoot = new LinkedHashMap<>();
        for (String id : new TreeSet<>(layerIds)) {
            byRoot.computeIfAbsent(root(parent, id), r -> new TreeSet<>()).add(id);
        }
        return byRoot.values().stream().map(List::copyOf)
                .sorted(Comparator.comparing(members -> members.get(0))).toList();
    }

    private static String root(Map<String, String> parent, String id) {
        String current = id;
        while (!parent.get(current).equals(current)) {
            current = parent.get(current);
        }
        return current;
    }

    /** Exact smallest total of {@code kind} over all plans (allowed precisions and ties only). */
    double minimum(BudgetKind kind) {
        double total = 0;
        for (Group group : groups) {
            total += group.options().stream().mapToDouble(o -> o.cost(kind)).min().orElseThrow();
        }
        return total;
    }

    /** Exact largest total of {@code kind} over all plans (allowed precisions and ties only). */
    double maximum(BudgetKind kind) {
        double total = 0;
        for (Group group : groups) {
            total += group.options().stream().mapToDouble(o -> o.cost(kind)).max().orElseThrow();
        }
        return total;
    }

    /** Expands a choice (option index per group) into a layer → precision assignment. */
    Map<String, Precision> assignment(int[] choice) {
        Map<String, Precision> assignment = new TreeMap<>();
        for (int g = 0; g < groups.size(); g++) {
            Precision precision = groups.get(g).options().get(choice[g]).precision();
            groups.get(g).layerIds().forEach(id -> assignment.put(id, precision));
        }
        return assignment;
    }

    /** Total cost of a choice on one metric, summed in group order. */
    double total(int[] choice, BudgetKind kind) {
        double total = 0;
        for (int g = 0; g < groups.size(); g++) {
            total += groups.get(g).options().get(choice[g]).cost(kind);
        }
        return total;
    }

    long totalSize(int[] choice) {
        long total = 0;
        for (int g = 0; g < groups.size(); g++) {
            total = Math.addExact(total, groups.get(g).options().get(choice[g]).size());
        }
        return total;
    }

    private static String keys(Set<Precision> precisions) {
        return precisions.stream().map(Precision::key).toList().toString();
    }
}
