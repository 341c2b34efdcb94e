package io.edgefleet.agent.hardware;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.DurableFiles;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent last registered, persisted in {@code data-dir/registration.json}: the fingerprint of the hardware
 * profile (declared accelerator included, free storage excluded as it changes all the time) and the agent version.
 *
 * @param fingerprint {@link #fingerprint(HardwareProfile, String)} of the registered profile
 */
public record RegisteredProfile(String fingerprint, String hardwareClass, String agentVersion, Instant registeredAt) {
  private static final ObjectMapper MAPPER = EventCodec.mapper();

  public RegisteredProfile {
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** sha256 of the profile without its free storage, plus the agent version. */
  public static String fingerprint(HardwareProfile p, String agentVersion) {
    HardwareProfile stable =
        new HardwareProfile(
            p.arch(), p.cpuModel(), p.cores(), p.ramBytes(), 0, p.cpuFeatures(), p.accelerator(), p.os(), p.runtimeVersion());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(MAPPER.writeValueAsBytes(stable));
      sha.update((byte) 0);
      sha.update(String.valueOf(agentVersion).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException("cannot fingerprint the hardware profile", e);
    }
  }

  /** The last registration, empty if none was recorded (first start, or written by an older agent). */
  public static Optional<RegisteredProfile> load(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(file.toFile(), RegisteredProfile.class));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new AgentException(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "unreadable " + file + ": " + e.getMessage(), e);
    }
  }

  public void save(Path file) {
    try {
      DurableFiles.writeAtomically(file, MAPPER.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new AgentException(AgentErrorCode.HARDWARE_INTROSPECTION_FAILED, "cannot write " + file + ": " + e, e);
    }
  }
}
