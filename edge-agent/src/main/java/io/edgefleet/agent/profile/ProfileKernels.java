package io.edgefleet.agent.profile;

import java.util.Locale;

/** Which kernels a per-operator profile runs the model on. */
public enum ProfileKernels {
  /**
   * The serving configuration: the XNNPACK delegate with signed/unsigned 8-bit inference enabled, as
   * {@link io.edgefleet.quantization.runtime.TfliteRunner} serves. Delegated operators are reported by XNNPACK under
   * its own operator names with times it measured natively; operators it did not take are the builtin kernels'.
   */
  SERVING,
  /**
   * The builtin (reference) kernels only, no delegate: one event per model operator, named with its TFLite builtin
   * name and indexed like the model (the planner's layer ids {@code <index>:<OP>}); slower than serving.
   */
  BUILTIN;

  /** Configuration value, e.g. {@code serving}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #key()}; throws {@link IllegalArgumentException} for anything else. */
  public static ProfileKernels of(String key) {
    for (ProfileKernels k : values()) {
      if (k.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown profile kernels '" + key + "' (serving, builtin)");
  }
}
