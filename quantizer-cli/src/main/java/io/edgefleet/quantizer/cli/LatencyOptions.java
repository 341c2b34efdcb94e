package io.edgefleet.quantizer.cli;

import io.edgefleet.quantizer.mixed.AnalysisOptions;
import io.edgefleet.quantizer.mixed.LatencyMethod;
import picocli.CommandLine.Option;

/** How the commands that plan build the host latency table (mixed in with {@code @Mixin}). */
final class LatencyOptions {
    @Option(names = "--latency", description = "host latency table: none, apportioned (uniform models apportioned "
            + "by MACs) or per-layer (each layer x precision timed as a single-operator model); default: the "
            + "command's own")
    String latency;

    @Option(names = "--latency-runs", defaultValue = "-1",
            description = "timed inferences per timed model (default 200 when a latency table is built)")
    int latencyRuns;

    /**
     * The method chosen, or null for no table.
     *
     * @param defaultMethod the command's default (null = no table unless asked for)
     */
    LatencyMethod method(LatencyMethod defaultMethod) {
        if (latency == null) {
            return defaultMethod;
        }
        if (latency.trim().equalsIgnoreCase("none")) {
            return null;
        }
        return LatencyMethod.fromKey(latency);
    }

    /** Applies the choice to the analysis options ({@code latencyRuns} 0 = no table). */
    AnalysisOptions apply(AnalysisOptions options, LatencyMethod method, int threads) {
        boolean none = latency != null && latency.trim().equalsIgnoreCase("none");
        if (none || latencyRuns == 0 || (method == null && latencyRuns < 0)) {
            return options.withLatency(0, threads);
        }
        LatencyMethod m = method == null ? LatencyMethod.APPORTIONED : method;
        return options.withLatency(latencyRuns > 0 ? latencyRuns : 200, threads).withLatencyMethod(m);
    }
}
