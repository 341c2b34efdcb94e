package io.edgefleet.simulator.bench;

import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; unknown options are rejected. */
final class Options {
  private Options() {}

  static Map<String, String> parse(String[] args, Map<String, String> defaults) {
    Map<String, String> out = new LinkedHashMap<>(defaults);
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!defaults.containsKey(name)) {
        throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG,
            "unknown option " + name + "; known: " + String.join(" ", defaults.keySet()));
      }
      if (i + 1 >= args.length) {
        throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, name + " needs a value");
      }
      out.put(name, args[++i]);
    }
    return out;
  }

  static String require(Map<String, String> options, String name) {
    String v = options.get(name);
    if (v == null || v.isBlank()) {
      throw new SimulatorException(SimulatorErrorCode.INVALID_CONFIG, name + " is required");
    }
    return v;
  }
}
