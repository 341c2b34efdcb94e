package io.edgefleet.agent;

/** The agent build version (from the jar manifest; {@code dev} when run from classes). */
public final class AgentVersion {
  private AgentVersion() {}

  public static String current() {
    String v = Agent.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
