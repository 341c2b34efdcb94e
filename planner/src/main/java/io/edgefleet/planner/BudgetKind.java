package io.edgefleet.planner;

/** The budget-type constraints of a plan, with the unit used in messages. */
public enum BudgetKind {
    SIZE("size", "B"),
    LATENCY("latency", "µs"),
    PREDICTED_LOSS("predicted loss", "");

    private final String label;
    private final String unit;

    BudgetKind(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** Formats a value of this kind for messages (sizes as whole bytes). */
    public String format(double value) {
        String number = this == SIZE ? Long.toString((long) value) : Double.toString(value);
        return unit.isEmpty() ? number : number + " " + unit;
    }
}
