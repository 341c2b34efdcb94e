package io.edgefleet.fleetctl.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A plain-text table with left-aligned columns separated by two spaces; numbers are right-aligned. */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : String.valueOf(c)).toList());
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** The rendered table, one line per row, header first, with a trailing newline. */
  public String render() {
    int[] widths = new int[headers.size()];
    boolean[] numeric = new boolean[headers.size()];
    Arrays.fill(numeric, !rows.isEmpty());
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
        numeric[c] &= isNumber(row.get(c));
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers, widths, new boolean[widths.length]);
    for (List<String> row : rows) {
      line(sb, row, widths, numeric);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] widths, boolean[] rightAlign) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = Objects.requireNonNull(cells.get(c));
      String pad = " ".repeat(widths[c] - cell.length());
      line.append(rightAlign[c] ? pad + cell : cell + (c == cells.size() - 1 ? "" : pad));
      if (c < cells.size() - 1) {
        line.append("  ");
      }
    }
    sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
  }

  private static boolean isNumber(String s) {
    return s.equals("-") || s.matches("-?[0-9][0-9,]*(\\.[0-9]+)?( ?(%|B|KB|MB|µs|ms|s))?");
  }
}
