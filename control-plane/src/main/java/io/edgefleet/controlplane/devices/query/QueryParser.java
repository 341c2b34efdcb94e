package io.edgefleet.controlplane.devices.query;

import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-written recursive-descent parser of the RSQL/FIQL device query language:
 *
 * <pre>
 * or         = and { ("," | " or ") and }
 * and        = constraint { (";" | " and ") constraint }
 * constraint = "(" or ")" | comparison
 * comparison = selector operator argument
 * operator   = "==" | "!=" | "=gt=" | "=ge=" | "=lt=" | "=le=" | "=in=" | "=out=" | "&gt;" | "&gt;=" | "&lt;" | "&lt;="
 * argument   = value | "(" value { "," value } ")"
 * value      = unquoted characters (no whitespace, quotes, parentheses, ; , = ! &lt; &gt;) | 'single' | "double" quoted
 * </pre>
 *
 * Errors are {@link ErrorCode#INVALID_DEVICE_QUERY} naming the offending token and its position.
 */
public final class QueryParser {
  private static final int MAX_LENGTH = 4096;
  private static final int MAX_DEPTH = 32;

  private final String in;
  private int pos;
  private int depth;

  private QueryParser(String in) {
    this.in = in;
  }

  public static QueryNode parse(String query) {
    if (query == null || query.isBlank()) {
      throw error("the query is empty", 0, "");
    }
    if (query.length() > MAX_LENGTH) {
      throw error("the query is longer than " + MAX_LENGTH + " characters", MAX_LENGTH, "");
    }
    QueryParser p = new QueryParser(query);
    QueryNode node = p.or();
    p.skipSpace();
    if (p.pos < p.in.length()) {
      throw error("unexpected token '" + p.tokenAt(p.pos) + "'", p.pos, p.tokenAt(p.pos));
    }
    return node;
  }

  private QueryNode or() {
    List<QueryNode> parts = new ArrayList<>();
    parts.add(and());
    while (true) {
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (keyword("or")) {
        pos += 2;
      } else {
        break;
      }
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new QueryNode.Or(parts);
  }

  private QueryNode and() {
    List<QueryNode> parts = new ArrayList<>();
    parts.add(constraint());
    while (true) {
      skipSpace();
      if (peek(';')) {
        pos++;
      } else if (keyword("and")) {
        pos += 3;
      } else {
        break;
      }
      parts.add(constraint());
    }
    return parts.size() == 1 ? parts.get(0) : new QueryNode.And(parts);
  }

  private QueryNode constraint() {
    skipSpace();
    if (peek('(')) {
      if (++depth > MAX_DEPTH) {
        throw error("the query nests deeper than " + MAX_DEPTH + " levels", pos, "(");
      }
      pos++;
      QueryNode inner = or();
      skipSpace();
      expect(')');
      depth--;
      return inner;
    }
    return comparison();
  }

  private QueryNode comparison() {
    skipSpace();
    int start = pos;
    while (pos < in.length() && isSelectorChar(in.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error(pos >= in.length() ? "expected a selector but the query ended"
          : "expected a selector, found '" + tokenAt(pos) + "'", pos, tokenAt(pos));
    }
    String selector = in.substring(start, pos);
    skipSpace();
    int opPos = pos;
    QueryNode.Operator op = operator();
    skipSpace();
    List<String> args = new ArrayList<>();
    if (peek('(')) {
      pos++;
      args.add(value());
      skipSpace();
      while (peek(',')) {
        pos++;
        args.add(value());
        skipSpace();
      }
      expect(')');
    } else {
      args.add(value());
    }
    if (!op.multiValue() && args.size() != 1) {
      throw error("operator '" + op.symbol() + "' takes exactly one value", opPos, op.symbol());
    }
    return new QueryNode.Comparison(selector, op, args, start);
  }

  private QueryNode.Operator operator() {
    int start = pos;
    if (startsWith("==")) {
      pos += 2;
      return QueryNode.Operator.EQ;
    } else if (startsWith("!=")) {
      pos += 2;
      return QueryNode.Operator.NE;
    } else if (startsWith(">=")) {
      pos += 2;
      return QueryNode.Operator.GE;
    } else if (startsWith("<=")) {
      pos += 2;
      return QueryNode.Operator.LE;
    } else if (startsWith(">")) {
      pos += 1;
      return QueryNode.Operator.GT;
    } else if (startsWith("<")) {
      pos += 1;
      return QueryNode.Operator.LT;
    } else if (peek('=')) {
      int end = pos + 1;
      while (end < in.length() && Character.isLetter(in.charAt(end))) {
        end++;
      }
      if (end < in.length() && in.charAt(end) == '=' && end > pos + 1) {
        String symbol = in.substring(pos, end + 1);
        for (QueryNode.Operator op : QueryNode.Operator.values()) {
          if (op.symbol().equals(symbol.toLowerCase(Locale.ROOT))) {
            pos = end + 1;
            return op;
          }
        }
        throw error("unknown operator '" + symbol + "'", start, symbol);
      }
      int stop = pos + 1;
      while (stop < in.length() && !Character.isWhitespace(in.charAt(stop)) && "();,".indexOf(in.charAt(stop)) < 0) {
        stop++;
      }
      String symbol = in.substring(pos, stop);
      throw error("unknown operator '" + symbol + "'", start, symbol);
    }
    throw error(pos >= in.length() ? "expected an operator but the query ended"
        : "expected an operator (==, !=, =gt=, =ge=, =lt=, =le=, =in=, =out=), found '" + tokenAt(pos) + "'", pos,
        tokenAt(pos));
  }

  private String value() {
    skipSpace();
    if (pos >= in.length()) {
      throw error("expected a value but the query ended", pos, "");
    }
    char c = in.charAt(pos);
    if (c == '\'' || c == '"') {
      int start = pos;
      StringBuilder sb = new StringBuilder();
      pos++;
      while (pos < in.length() && in.charAt(pos) != c) {
        if (in.charAt(pos) == '\\' && pos + 1 < in.length()) {
          pos++;
        }
        sb.append(in.charAt(pos++));
      }
      if (pos >= in.length()) {
        throw error("unterminated quoted value " + in.substring(start), start, in.substring(start));
      }
      pos++;
      return sb.toString();
    }
    int start = pos;
    while (pos < in.length() && isValueChar(in.charAt(pos))) {
      pos++;
    }
    if (start == pos) {
      throw error("expected a value, found '" + tokenAt(pos) + "'", pos, tokenAt(pos));
    }
    return in.substring(start, pos);
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error(pos >= in.length() ? "expected '" + c + "' but the query ended"
          : "expected '" + c + "', found '" + tokenAt(pos) + "'", pos, tokenAt(pos));
    }
    pos++;
  }

  private boolean keyword(String word) {
    // " and " / " or " must be surrounded by whitespace (already skipped before) and followed by whitespace
    return pos > 0 && Character.isWhitespace(in.charAt(pos - 1)) && in.regionMatches(true, pos, word, 0, word.length())
        && pos + word.length() < in.length() && Character.isWhitespace(in.charAt(pos + word.length()));
  }

  private boolean peek(char c) {
    return pos < in.length() && in.charAt(pos) == c;
  }

  private boolean startsWith(String s) {
    return in.startsWith(s, pos);
  }

  private void skipSpace() {
    while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
      pos++;
    }
  }

  private String tokenAt(int at) {
    if (at >= in.length()) {
      return "";
    }
    int end = at + 1;
    while (end < in.length() && end - at < 24 && !Character.isWhitespace(in.charAt(end))
        && isValueChar(in.charAt(end)) == isValueChar(in.charAt(at))) {
      end++;
    }
    return in.substring(at, end);
  }

  private static boolean isSelectorChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
  }

  private static boolean isValueChar(char c) {
    return !Character.isWhitespace(c) && c != '\'' && c != '"' && c != '(' && c != ')' && c != ';' && c != ','
        && c != '=' && c != '!' && c != '<' && c != '>';
  }

  static ControlPlaneException error(String message, int position, String token) {
    return new ControlPlaneException(ErrorCode.INVALID_DEVICE_QUERY,
        "invalid device query: " + message + " at position " + position);
  }
}
