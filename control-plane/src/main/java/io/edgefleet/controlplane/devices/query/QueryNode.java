package io.edgefleet.controlplane.devices.query;

import java.util.List;

/** Parsed device query (RSQL/FIQL): a tree of AND/OR over comparisons. */
public sealed interface QueryNode permits QueryNode.And, QueryNode.Or, QueryNode.Comparison {

  /** All children must hold ({@code ;} or {@code and}). */
  record And(List<QueryNode> children) implements QueryNode {
    public And {
      children = List.copyOf(children);
    }
  }

  /** Any child must hold ({@code ,} or {@code or}). */
  record Or(List<QueryNode> children) implements QueryNode {
    public Or {
      children = List.copyOf(children);
    }
  }

  /**
   * {@code selector operator argument(s)}.
   *
   * @param position 0-based offset of the selector in the query (for error messages)
   */
  record Comparison(String selector, Operator operator, List<String> arguments, int position) implements QueryNode {
    public Comparison {
      arguments = List.copyOf(arguments);
    }
  }

  /** Comparison operators; {@code ==} and {@code !=} accept {@code *} wildcards on text selectors. */
  enum Operator {
    EQ("=="), NE("!="), GT("=gt="), GE("=ge="), LT("=lt="), LE("=le="), IN("=in="), OUT("=out=");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean multiValue() {
      return this == IN || this == OUT;
    }
  }
}
