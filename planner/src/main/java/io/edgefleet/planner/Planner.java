package io.edgefleet.planner;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-layer precision planner: a one-hot integer program solved with OR-Tools CP-SAT (HAWQ-V3 style).
 *
 * <p>Variables x<sub>g,p</sub> ∈ {0,1} for every decision group g (a layer, or layers tied together) and candidate
 * precision p; Σ<sub>p</sub> x<sub>g,p</sub> = 1; Σ size·x ≤ maxSize; Σ latency·x ≤ maxLatency; Σ loss·x ≤ maxLoss.
 * The objective is lexicographic ({@link Objective#order()}): each metric is minimised in turn and then locked at its
 * optimum, so ties in predicted loss are broken by size and then latency. Double costs are scaled to integers as
 * described in {@link CostScale}; sizes are exact.
 *
 * <p>Infeasibility is explained exactly: each budget is first compared with its smallest achievable value alone
 * (computed per group, no solver); if every budget is achievable alone but not together, each budget's smallest value
 * under the other budgets is computed with CP-SAT and reported.
 *
 * <p>Thread-safe: each call builds its own model and solver.
 */
public final class Planner {
    private final PlannerOptions options;

    public Planner() {
        this(PlannerOptions.defaults());
    }

    /** @throws PlannerException {@code NATIVE_LIBRARY_UNAVAILABLE} if OR-Tools cannot load on this platform */
    public Planner(PlannerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        OrToolsNatives.ensureLoaded();
    }

    public PlannerOptions options() {
        return options;
    }

    /** Minimises the predicted loss under the constraints. */
    public Plan plan(List<LayerProfile> layers, PlanConstraints constraints) {
        return plan(layers, constraints, Objective.MIN_PREDICTED_LOSS);
    }

    /**
     * Chooses one precision per layer.
     *
     * @throws InfeasiblePlanException when no plan meets the constraints; the code and violations say which
     * @throws PlannerException {@code INVALID_INPUT} for malformed input, {@code SOLVER_TIMEOUT} if no plan was found
     *     within the time limit, {@code SOLVER_FAILED} if the solver rejects the model
     */
    public Plan plan(List<LayerProfile> layers, PlanConstraints constraints, Objective objective) {
        Objects.requireNonNull(constraints, "constraints");
        Objects.requireNonNull(objective, "objective");
        boolean needLatency = constraints.maxLatencyMicros() != null || objective == Objective.MIN_LATENCY;
        PlanningProblem problem = PlanningProblem.build(layers, constraints, needLatency);
        IntegerCosts costs = new IntegerCosts(problem, options.costResolutionBits());

        Map<BudgetKind, Long> budgets = new EnumMap<>(BudgetKind.class);
        List<BudgetViolation> aloneViolations = new ArrayList<>();
        for (BudgetKind kind : BudgetKind.values()) {
            Double budget = constraints.budget(kind);
            if (budget == null) {
                continue;
            }
            long units = kind == BudgetKind.SIZE ? constraints.maxSizeBytes() : costs.budgetUnits(kind, budget);
            budgets.put(kind, units);
            if (costs.minimumUnits(kind) > units) {
                aloneViolations.add(new BudgetViolation(kind, budget, problem.minimum(kind), Double.NaN));
            }
        }
        if (!aloneViolations.isEmpty()) {
            throw InfeasiblePlanException.forViolations(aloneViolations, false);
        }

        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        Stats stats = new Stats();
        SolverModel model = new SolverModel(costs, budgets);
        int[] best = null;
        boolean optimal = true;
        for (BudgetKind kind : objective.order()) {
            if (kind == BudgetKind.LATENCY && !problem.latencyAvailable()) {
                continue;
            }
            double remaining = (deadline - System.nanoTime()) / 1e9;
            if (best != null && remaining <= 0) {
                optimal = false;
                break;
            }
            LinearExpr expr = model.expression(costs.units(kind));
            model.cp.clearObjective();
            model.cp.minimize(expr);
            if (best != null) {
                model.hint(best);
            }
            Result result = solve(model, Math.max(remaining, 0.001), stats);
            switch (result.status) {
                case OPTIMAL, FEASIBLE -> {
                    optimal &= result.status == CpSolverStatus.OPTIMAL;
                    best = result.choice;
                    model.cp.addLessOrEqual(expr, costs.value(costs.units(kind), best));
                }
                case INFEASIBLE -> {
                    if (best == null) {
                        throw diagnoseJointInfeasibility(problem, costs, constraints, budgets);
                    }
                    throw new PlannerException(PlannerErrorCode.SOLVER_FAILED,
                            "solver reported a locked lexicographic stage infeasible");
                }
                case UNKNOWN -> {
                    if (best == null) {
                        throw new PlannerException(PlannerErrorCode.SOLVER_TIMEOUT,
                                "no plan found within " + options.timeLimit());
                    }
                    optimal = false;
                }
                default -> throw new PlannerException(PlannerErrorCode.SOLVER_FAILED,
                        "solver status " + result.status + ": " + model.cp.validate());
            }
            if (!optimal) {
                break;
            }
        }
        Plan evaluated = PlanEvaluator.evaluate(layers, problem.assignment(best));
        SolverStats solverStats = new SolverStats(optimal ? SolveStatus.OPTIMAL : SolveStatus.FEASIBLE,
                stats.stages, problem.groups().size(), model.variableCount, stats.branches, stats.conflicts,
                stats.wallTime, costs.resolution(BudgetKind.PREDICTED_LOSS), costs.resolution(BudgetKind.LATENCY));
        return new Plan(evaluated.assignment(), evaluated.predictedLoss(), evaluated.predictedSizeBytes(),
                evaluated.predictedLatencyMicros(), evaluated.planHash(), solverStats);
    }

    private InfeasiblePlanException diagnoseJointInfeasibility(
            PlanningProblem problem, IntegerCosts costs, PlanConstraints constraints, Map<BudgetKind, Long> budgets) {
        List<BudgetViolation> violations = new ArrayList<>();
        for (BudgetKind kind : budgets.keySet()) {
            Map<BudgetKind, Long> others = new EnumMap<>(budgets);
            others.remove(kind);
            SolverModel model = new SolverModel(costs, others);
            model.cp.minimize(model.expression(costs.units(kind)));
            Result result = solve(model, options.timeLimit().toNanos() / 1e9, new Stats());
            double budget = constraints.budget(kind);
            switch (result.status) {
                case OPTIMAL, FEASIBLE -> {
                    if (costs.value(costs.units(kind), result.choice) > budgets.get(kind)) {
                        violations.add(new BudgetViolation(kind, budget, problem.minimum(kind),
                                problem.total(result.choice, kind)));
                    }
                }
                case INFEASIBLE -> violations.add(new BudgetViolation(kind, budget, problem.minimum(kind),
                        Double.NaN));
                default -> throw new PlannerException(PlannerErrorCode.SOLVER_TIMEOUT,
                        "the budgets cannot be met together, but explaining why did not finish: solver status "
                                + result.status);
            }
        }
        return InfeasiblePlanException.forViolations(violations, true);
    }

    private Result solve(SolverModel model, double seconds, Stats stats) {
        CpSolver solver = new CpSolver();
        solver.getParameters()
                .setNumWorkers(options.numWorkers())
                .setMaxTimeInSeconds(seconds)
                .setRandomSeed(0)
                .setLogSearchProgress(false);
        CpSolverStatus status = solver.solve(model.cp);
        stats.stages++;
        stats.branches += solver.numBranches();
        stats.conflicts += solver.numConflicts();
        stats.wallTime += solver.wallTime();
        int[] choice = null;
        if (status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE) {
            choice = new int[model.x.length];
            for (int g = 0; g < model.x.length; g++) {
                choice[g] = -1;
                for (int o = 0; o < model.x[g].length; o++) {
                    if (solver.booleanValue(model.x[g][o])) {
                        choice[g] = o;
                    }
                }
                if (choice[g] < 0) {
                    throw new PlannerException(PlannerErrorCode.SOLVER_FAILED, "solution violates one-hot for group "
                            + g);
                }
            }
        }
        return new Result(status, choice);
    }

    private record Result(CpSolverStatus status, int[] choice) {
    }

    private static final class Stats {
        int stages;
        long branches;
        long conflicts;
        double wallTime;
    }

    /** A CP-SAT model with the one-hot structure and the given budgets (in integer units). */
    private static final class SolverModel {
        final CpModel cp = new CpModel();
        final BoolVar[][] x;
        final int variableCount;

        SolverModel(IntegerCosts costs, Map<BudgetKind, Long> budgets) {
            List<PlanningProblem.Group> groups = costs.problem.groups();
            x = new BoolVar[groups.size()][];
            int count = 0;
            for (int g = 0; g < groups.size(); g++) {
                List<PlanningProblem.Option> options = groups.get(g).options();
                x[g] = new BoolVar[options.size()];
                for (int o = 0; o < options.size(); o++) {
                    x[g][o] = cp.newBoolVar("x_" + g + "_" + options.get(o).precision().key());
                    count++;
                }
                cp.addExactlyOne(x[g]);
            }
            variableCount = count;
            budgets.forEach((kind, units) -> {
                long[][] coefficients = costs.units(kind);
                // a budget at or above the largest achievable total is redundant (and could overflow)
                if (units < costs.maximumUnits(coefficients)) {
                    cp.addLessOrEqual(expression(coefficients), units);
                }
            });
        }

        LinearExpr expression(long[][] coefficients) {
            List<LinearArgument> vars = new ArrayList<>();
            List<Long> weights = new ArrayList<>();
            for (int g = 0; g < x.length; g++) {
                for (int o = 0; o < x[g].length; o++) {
                    if (coefficients[g][o] != 0) {
                        vars.add(x[g][o]);
                        weights.add(coefficients[g][o]);
                    }
                }
            }
            return LinearExpr.weightedSum(vars.toArray(LinearArgument[]::new),
                    weights.stream().mapToLong(Long::longValue).toArray());
        }

        void hint(int[] choice) {
            cp.clearHints();
            for (int g = 0; g < x.length; g++) {
                for (int o = 0; o < x[g].length; o++) {
                    cp.addHint(x[g][o], choice[g] == o);
                }
            }
        }
    }

    /** Integer cost tables per metric (see {@link CostScale}); sizes are exact. */
    private static final class IntegerCosts {
        final PlanningProblem problem;
        final Map<BudgetKind, CostScale> scales = new EnumMap<>(BudgetKind.class);
        final Map<BudgetKind, long[][]> units = new EnumMap<>(BudgetKind.class);

        IntegerCosts(PlanningProblem problem, int bits) {
            this.problem = problem;
            for (BudgetKind kind : BudgetKind.values()) {
                if (kind == BudgetKind.LATENCY && !problem.latencyAvailable()) {
                    continue;
                }
                CostScale scale = kind == BudgetKind.SIZE ? new CostScale(1.0)
                        : CostScale.forProblem(problem, kind, bits);
                scales.put(kind, scale);
                List<PlanningProblem.Group> groups = problem.groups();
                long[][] table = new long[groups.size()][];
                for (int g = 0; g < groups.size(); g++) {
                    List<PlanningProblem.Option> options = groups.get(g).options();
                    table[g] = new long[options.size()];
                    for (int o = 0; o < options.size(); o++) {
                        PlanningProblem.Option option = options.get(o);
                        table[g][o] = kind == BudgetKind.SIZE ? option.size() : scale.nearest(option.cost(kind));
                    }
                }
                units.put(kind, table);
            }
        }

        long[][] units(BudgetKind kind) {
            long[][] values = units.get(kind);
            if (values == null) {
                throw new PlannerException(PlannerErrorCode.INVALID_INPUT,
                        "a " + kind.label() + " is needed but not every candidate precision has one");
            }
            return values;
        }

        double resolution(BudgetKind kind) {
            CostScale scale = scales.get(kind);
            return scale == null ? Double.NaN : scale.resolution();
        }

        long budgetUnits(BudgetKind kind, double budget) {
            units(kind);
            return kind == BudgetKind.SIZE ? (long) budget
                    : scales.get(kind).budgetUnits(budget, problem.groups().size());
        }

        long minimumUnits(BudgetKind kind) {
            long total = 0;
            for (long[] options : units(kind)) {
                total = Math.addExact(total, Arrays.stream(options).min().orElseThrow());
            }
            return total;
        }

        long maximumUnits(long[][] coefficients) {
            long total = 0;
            for (long[] options : coefficients) {
                total = Math.addExact(total, Arrays.stream(options).max().orElseThrow());
            }
            return total;
        }

        long value(long[][] coefficients, int[] choice) {
            long total = 0;
            for (int g = 0; g < choice.length; g++) {
                total = Math.addExact(total, coefficients[g][choice[g]]);
            }
            return total;
        }
    }
}
