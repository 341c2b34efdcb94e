package io.edgefleet.planner;

/**
 * Maps double costs (predicted loss, latency) to the integers CP-SAT needs.
 *
 * <p>The factor is a power of two, {@code 2^e}, with {@code e} the largest exponent such that the worst-case total
 * magnitude (sum over groups of the largest |cost| of any option) times the factor is at most {@code 2^bits}. One
 * integer unit therefore equals {@link #resolution()} = {@code 2^-e} in the original unit, i.e. at most
 * {@code 2^-(bits-1)} of the worst-case total. Because the factor is a power of two, values with few significant
 * binary digits (integers, halves, quarters, ...) are scaled without any rounding at all.
 *
 * <p>Every option's cost is rounded to the nearest unit (error ≤ ½ unit per decision group, none for dyadic values),
 * both in the objective and in budget constraints. A budget B over G groups becomes {@code floor(B·factor + G/2)}
 * units. Consequences, for G groups and resolution r:
 * <ul>
 *   <li>every plan whose true total is ≤ B is accepted (a budget equal to an achievable total is always met, so
 *       "smallest achievable" values reported by the planner are consistent with what it accepts);</li>
 *   <li>an accepted plan's true total is ≤ B + G·r (with 40 bits, r ≈ 1e-12 of the worst-case total);</li>
 *   <li>the loss objective is optimal to within G·r.</li>
 * </ul>
 */
record CostScale(double factor) {

    static CostScale forWorstCaseTotal(double worstCaseTotal, int bits) {
        if (!(worstCaseTotal > 0)) {
            return new CostScale(1.0);
        }
        int exponent = (int) Math.floor(bits - Math.log(worstCaseTotal) / Math.log(2));
        double factor = Math.scalb(1.0, exponent);
        // guard against log rounding: keep worstCaseTotal * factor <= 2^bits
        while (worstCaseTotal * factor > Math.scalb(1.0, bits)) {
            factor /= 2;
        }
        return new CostScale(factor);
    }

    static CostScale forProblem(PlanningProblem problem, BudgetKind kind, int bits) {
        double total = 0;
        for (PlanningProblem.Group group : problem.groups()) {
            total += group.options().stream().mapToDouble(o -> Math.abs(o.cost(kind))).max().orElse(0);
        }
        return forWorstCaseTotal(total, bits);
    }

    double resolution() {
        return 1.0 / factor;
    }

    long nearest(double value) {
        return Math.round(value * factor);
    }

    /** A budget over {@code groups} rounded terms, in units; saturates at ±2^62. */
    long budgetUnits(double budget, int groups) {
        double scaled = Math.floor(budget * factor + groups / 2.0);
        if (scaled >= 0x1p62) {
            return Long.MAX_VALUE;
        }
        if (scaled <= -0x1p62) {
            return Long.MIN_VALUE;
        }
        return (long) scaled;
    }
}
