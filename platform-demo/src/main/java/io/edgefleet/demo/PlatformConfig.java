package io.edgefleet.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the local platform.
 *
 * @param dataDir where every component keeps its data and logs
 * @param httpPort control-plane HTTP port (0 = pick a free one)
 * @param agents number of simulated devices
 * @param startupTimeout how long each component may take to become ready
 */
public record PlatformConfig(Path dataDir, int httpPort, int agents, Duration startupTimeout) {

  public PlatformConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    if (agents < 0 || agents > 50) {
      throw new IllegalArgumentException("agents must be between 0 and 50, was " + agents);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort out of range: " + httpPort);
    }
  }
}
