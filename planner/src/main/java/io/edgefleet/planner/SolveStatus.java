package io.edgefleet.planner;

/** How a plan was obtained. */
public enum SolveStatus {
    /** CP-SAT proved every lexicographic stage optimal (up to the documented cost resolution). */
    OPTIMAL,
    /** CP-SAT hit its time limit: the plan is feasible but not proven optimal. */
    FEASIBLE,
    /** The plan was given (uniform baseline, evaluated assignment), not solved. */
    EVALUATED
}
