package io.edgefleet.controlplane.devices.query;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates {@link QueryNode}s into a parameterised SQL condition over {@code device d}.
 *
 * <p>Selectors: text {@code id, name, hardwareClass, agentVersion, arch, os, accelerator, runtimeVersion}; integer
 * {@code cores, ramBytes, ramMb}; time (ISO-8601 instants) {@code registeredAt, lastSeenAt}; {@code tag} (one of the
 * device's tags, from its {@code tags} attribute); {@code attr.<name>} or {@code attribute.<name>} (a registration
 * attribute). {@code ==}/{@code !=} accept {@code *} wildcards on text; {@code =gt= =ge= =lt= =le=} need an integer
 * or time selector. Column names come only from the fixed selector table; values are always bound parameters.
 */
public final class SqlTranslator {
  private enum Kind { TEXT, INTEGER, TIME }

  private record Field(String expression, Kind kind) {}

  private static final Map<String, Field> FIELDS = Map.ofEntries(
      Map.entry("id", new Field("d.id", Kind.TEXT)),
      Map.entry("name", new Field("d.name", Kind.TEXT)),
      Map.entry("hardwareClass", new Field("d.hardware_class", Kind.TEXT)),
      Map.entry("agentVersion", new Field("d.agent_version", Kind.TEXT)),
      Map.entry("arch", new Field("d.arch", Kind.TEXT)),
      Map.entry("os", new Field("d.os", Kind.TEXT)),
      Map.entry("accelerator", new Field("d.accelerator", Kind.TEXT)),
      Map.entry("runtimeVersion", new Field("d.runtime_version", Kind.TEXT)),
      Map.entry("cores", new Field("d.cores", Kind.INTEGER)),
      Map.entry("ramBytes", new Field("d.ram_bytes", Kind.INTEGER)),
      Map.entry("ramMb", new Field("(d.ram_bytes / 1048576)", Kind.INTEGER)),
      Map.entry("registeredAt", new Field("d.registered_at", Kind.TIME)),
      Map.entry("lastSeenAt", new Field("d.last_seen_at", Kind.TIME)));

  private final Map<String, Object> params = new LinkedHashMap<>();
  private final String prefix;

  private SqlTranslator(String prefix) {
    this.prefix = prefix;
  }

  /** The condition of {@code node}; parameter names start with {@code prefix}. */
  public static SqlCondition translate(QueryNode node, String prefix) {
    SqlTranslator t = new SqlTranslator(prefix);
    String sql = t.node(node);
    return new SqlCondition(sql, t.params);
  }

  /** Parses and translates {@code query}. */
  public static SqlCondition translate(String query, String prefix) {
    return translate(QueryParser.parse(query), prefix);
  }

  private String node(QueryNode n) {
    if (n instanceof QueryNode.And a) {
      return join(a.children(), " AND ");
    } else if (n instanceof QueryNode.Or o) {
      return join(o.children(), " OR ");
    } else if (n instanceof QueryNode.Comparison c) {
      return comparison(c);
    }
    throw new IllegalStateException("unknown query node " + n);
  }

  private String join(List<QueryNode> children, String op) {
    List<String> parts = new ArrayList<>();
    for (QueryNode c : children) {
      parts.add(node(c));
    }
    return "(" + String.join(op, parts) + ")";
  }

  private String comparison(QueryNode.Comparison c) {
    String sel = c.selector();
    if (sel.equals("tag")) {
      return membership(c, "device_tag x", "x.device_id = d.id", "x.tag");
    }
    String attr = sel.startsWith("attr.") ? sel.substring(5) : sel.startsWith("attribute.") ? sel.substring(10) : null;
    if (attr != null) {
      if (attr.isEmpty()) {
        throw QueryParser.error("selector '" + sel + "' names no attribute", c.position(), sel);
      }
      String n = param(attr);
      return membership(c, "device_attribute x", "x.device_id = d.id AND x.name = " + n, "x.value");
    }
    Field f = FIELDS.get(sel);
    if (f == null) {
      throw QueryParser.error("unknown selector '" + sel + "' (known: " + String.join(", ",
          new java.util.TreeSet<>(FIELDS.keySet())) + ", tag, attr.<name>)", c.position(), sel);
    }
    QueryNode.Operator op = c.operator();
    String col = f.expression();
    if (op == QueryNode.Operator.IN || op == QueryNode.Operator.OUT) {
      List<String> ps = new ArrayList<>();
      for (String v : c.arguments()) {
        ps.add(param(value(f, sel, v, c)));
      }
      String list = "(" + String.join(", ", ps) + ")";
      return op == QueryNode.Operator.IN ? col + " IN " + list : "(" + col + " IS NULL OR " + col + " NOT IN " + list
          + ")";
    }
    String raw = c.arguments().get(0);
    if (op == QueryNode.Operator.EQ || op == QueryNode.Operator.NE) {
      if (f.kind() == Kind.TEXT && raw.contains("*")) {
        String like = col + " LIKE " + param(like(raw)) + " ESCAPE '\\'";
        return op == QueryNode.Operator.EQ ? like : "(" + col + " IS NULL OR NOT " + like + ")";
      }
      String p = param(value(f, sel, raw, c));
      return op == QueryNode.Operator.EQ ? col + " = " + p : col + " IS DISTINCT FROM " + p;
    }
    if (f.kind() == Kind.TEXT) {
      throw QueryParser.error("operator '" + op.symbol() + "' needs an integer or time selector, '" + sel
          + "' is text", c.position(), sel);
    }
    String sqlOp = op == QueryNode.Operator.GT ? ">" : op == QueryNode.Operator.GE ? ">="
        : op == QueryNode.Operator.LT ? "<" : "<=";
    return col + " " + sqlOp + " " + param(value(f, sel, raw, c));
  }

  /** tag / attribute comparisons: (NOT) EXISTS over the child table. */
  private String membership(QueryNode.Comparison c, String table, String join, String column) {
    QueryNode.Operator op = c.operator();
    String match;
    if (op == QueryNode.Operator.IN || op == QueryNode.Operator.OUT) {
      List<String> ps = new ArrayList<>();
      for (String v : c.arguments()) {
        ps.add(param(v));
      }
      match = column + " IN (" + String.join(", ", ps) + ")";
    } else if (op == QueryNode.Operator.EQ || op == QueryNode.Operator.NE) {
      String v = c.arguments().get(0);
      match = v.contains("*") ? column + " LIKE " + param(like(v)) + " ESCAPE '\\'" : column + " = " + param(v);
    } else {
      throw QueryParser.error("operator '" + op.symbol() + "' is not supported on '" + c.selector()
          + "' (use ==, !=, =in=, =out=)", c.position(), c.selector());
    }
    String exists = "EXISTS (SELECT 1 FROM " + table + " WHERE " + join + " AND " + match + ")";
    return op == QueryNode.Operator.EQ || op == QueryNode.Operator.IN ? exists : "NOT " + exists;
  }

  private static Object value(Field f, String sel, String raw, QueryNode.Comparison c) {
    if (f.kind() == Kind.INTEGER) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        throw new ControlPlaneException(ErrorCode.INVALID_DEVICE_QUERY, "invalid device query: value '" + raw
            + "' of '" + sel + "' is not an integer at position " + c.position(), e);
      }
    }
    if (f.kind() == Kind.TIME) {
      try {
        return Instant.parse(raw);
      } catch (DateTimeParseException e) {
        throw new ControlPlaneException(ErrorCode.INVALID_DEVICE_QUERY, "invalid device query: value '" + raw
            + "' of '" + sel + "' is not an ISO-8601 instant at position " + c.position(), e);
      }
    }
    return raw;
  }

  private static String like(String wildcard) {
    return wildcard.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
  }

  private String param(Object value) {
    String name = prefix + params.size();
    params.put(name, value);
    return ":" + name;
  }
}
