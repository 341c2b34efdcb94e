package io.edgefleet.agent;

import java.util.Arrays;

/**
 * Test-only fault injection for the process-level crash tests: when the JVM was started with
 * {@code -Dedgefleet.test.halt-at=<point>}, the agent calls {@link Runtime#halt(int)} (no shutdown hooks, no
 * finally blocks, like {@code kill -9}) the first time it reaches that point. Without the property (production) every
 * call is a no-op. The property is deliberately outside the {@code edgefleet.agent.*} configuration namespace: it is not
 * a configuration key and never appears in a properties file.
 */
public enum CrashPoint {
  /** The new model was copied into the inactive slot, its manifest is not written yet. */
  STAGE_MODEL_COPIED("stage.model-copied"),
  /** The staged slot passed the smoke test; {@code active.json} still names the old slot. */
  SWITCH_BEFORE("switch.before"),
  /** {@code active.json.tmp} naming the new slot is written and fsynced, not yet renamed over {@code active.json}. */
  SWITCH_TMP_WRITTEN("switch.tmp-written"),
  /** {@code active.json} names the new slot; the new model is not served yet and INSTALLED is not reported. */
  SWITCH_AFTER("switch.after");

  /** The system property naming the point to halt at. */
  public static final String PROPERTY = "edgefleet.test.halt-at";
  /** Exit status of a halted JVM (the same as a process killed by SIGKILL). */
  public static final int HALT_STATUS = 137;

  private final String point;

  CrashPoint(String point) {
    this.point = point;
  }

  public String point() {
    return point;
  }

  /** Halts the JVM if {@link #PROPERTY} names this point; otherwise does nothing. */
  public void reached() {
    String wanted = System.getProperty(PROPERTY);
    if (wanted == null) {
      return;
    }
    if (Arrays.stream(values()).noneMatch(p -> p.point.equals(wanted))) {
      throw new IllegalStateException(PROPERTY + " names an unknown crash point '" + wanted + "'");
    }
    if (point.equals(wanted)) {
      System.err.println("edge-agent: halting at crash point " + point + " (" + PROPERTY + ")");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
