package io.edgefleet.fleetctl.rollouts;

import io.edgefleet.fleetctl.FleetctlException;
import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code --groups} option: comma-separated groups in rollout order, each a device count or a cumulative
 * percentage of the targeted fleet, optionally named: {@code canary:1,25%,all:100%}.
 */
public final class GroupsSpec {
  private static final Pattern GROUP = Pattern.compile("(?:([A-Za-z][A-Za-z0-9_.-]{0,63}):)?([0-9]+(?:\\.[0-9]+)?)(%?)");

  private GroupsSpec() {}

  /** The groups as the control plane's {@code GroupSpec} JSON objects ({@code name}, {@code percent} | {@code count}). */
  public static List<Map<String, Object>> parse(String text, Double successThreshold, Double errorThreshold) {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (String raw : text.split(",")) {
      String item = raw.trim();
      Matcher m = GROUP.matcher(item);
      if (item.isEmpty() || !m.matches()) {
        throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "bad group '" + item + "' in --groups '" + text
            + "': expected [name:]COUNT or [name:]PERCENT%, e.g. canary:1,25%,100%");
      }
      Map<String, Object> g = new LinkedHashMap<>();
      if (m.group(1) != null) {
        g.put("name", m.group(1));
      }
      double value = Double.parseDouble(m.group(2));
      if (m.group(3).isEmpty()) {
        if (value != Math.rint(value) || value < 1) {
          throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "group '" + item + "': a device count must be a whole "
              + "number >= 1 (add % for a percentage)");
        }
        g.put("count", (int) value);
      } else {
        if (value <= 0 || value > 100) {
          throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "group '" + item + "': a percentage must be in (0, 100]");
        }
        g.put("percent", value);
      }
      if (successThreshold != null) {
        g.put("successThreshold", successThreshold);
      }
      if (errorThreshold != null) {
        g.put("errorThreshold", errorThreshold);
      }
      groups.add(g);
    }
    return groups;
  }
}
