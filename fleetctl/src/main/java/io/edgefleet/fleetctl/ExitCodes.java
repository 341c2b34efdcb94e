package io.edgefleet.fleetctl;

/** Process exit statuses (documented in the README and in {@code fleetctl --help}). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int USAGE = 2;
  public static final int REJECTED = 3;
  public static final int NOT_AUTHORIZED = 4;
  public static final int UNAVAILABLE = 5;
  public static final int ROLLOUT_NOT_FINISHED = 6;
  public static final int TIMEOUT = 7;

  private ExitCodes() {}
}
