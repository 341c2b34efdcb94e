package io.edgefleet.agent.download;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform public keys this device trusts, by key id. Several keys can be trusted at once so that the platform
 * can rotate its signing key: ship the new public key to devices first, then start signing with it.
 */
public final class TrustedKeys {
  private final Map<String, PublicKey> byId;

  private TrustedKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  /**
   * Reads Ed25519 public key PEM files.
   *
   * @throws AgentException {@link AgentErrorCode#INVALID_CONFIG} if a file cannot be read or is not an Ed25519 key
   */
  public static TrustedKeys load(List<Path> pemFiles) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    for (Path p : pemFiles) {
      try {
        PublicKey key = ArtifactSignatures.readPublicKey(p);
        keys.put(ArtifactSignatures.keyId(key), key);
      } catch (IOException | IllegalArgumentException e) {
        throw new AgentException(AgentErrorCode.INVALID_CONFIG, "trusted public key " + p + " unusable: " + e.getMessage(), e);
      }
    }
    if (keys.isEmpty()) {
      throw new AgentException(AgentErrorCode.INVALID_CONFIG, "no trusted public keys configured");
    }
    return new TrustedKeys(keys);
  }

  public static TrustedKeys of(List<PublicKey> keys) {
    Map<String, PublicKey> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(ArtifactSignatures.keyId(k), k));
    return new TrustedKeys(m);
  }

  public Set<String> keyIds() {
    return byId.keySet();
  }

  /**
   * Checks that {@code signatureBase64} is a signature of (sha256, size) by the trusted key {@code keyId}.
   *
   * @throws AgentException {@link AgentErrorCode#SIGNATURE_REJECTED} for unknown key ids, missing or invalid signatures
   */
  public void verify(String sha256Hex, long sizeBytes, String signatureBase64, String keyId) {
    if (keyId == null || keyId.isBlank()) {
      throw new AgentException(AgentErrorCode.SIGNATURE_REJECTED, "the assignment names no signing key id");
    }
    PublicKey key = byId.get(keyId);
    if (key == null) {
      throw new AgentException(
          AgentErrorCode.SIGNATURE_REJECTED,
          "artifact signed by unknown key id " + keyId + " (trusted: " + String.join(",", byId.keySet()) + ")");
    }
    if (signatureBase64 == null || signatureBase64.isBlank()) {
      throw new AgentException(AgentErrorCode.SIGNATURE_REJECTED, "the assignment carries no signature");
    }
    if (!ArtifactSignatures.verify(key, sha256Hex, sizeBytes, signatureBase64)) {
      throw new AgentException(
          AgentErrorCode.SIGNATURE_REJECTED,
          "Ed25519 signature does not verify with key " + keyId + " for sha256 " + sha256Hex + " size " + sizeBytes);
    }
  }
}
