package io.edgefleet.controlplane.auth;

import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The Ed25519 keys of device tokens: the current signing key and every public key whose tokens are accepted (current
 * + previous ones, by key id = {@link ArtifactSignatures#keyId}). Loaded once at start; a missing or unreadable key
 * fails the start.
 */
@ApplicationScoped
@Startup
public class DeviceTokenKeys {
  private static final Logger LOG = Logger.getLogger(DeviceTokenKeys.class);

  private final String signingKeyId;
  private final PrivateKey signingKey;
  private final Map<String, PublicKey> verificationKeys;

  public DeviceTokenKeys(AuthConfig config) {
    AuthConfig.DeviceTokens c = config.deviceTokens();
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    PublicKey current;
    if (c.signingKey().isPresent()) {
      Path pub = c.signingPublicKey().orElseThrow(() -> new IllegalStateException(
          "edgefleet.auth.device-tokens.signing-public-key is required with signing-key"));
      this.signingKey = read(c.signingKey().get(), true).privateKey;
      current = read(pub, false).publicKey;
    } else if (c.generateEphemeralKey()) {
      KeyPair pair = ArtifactSignatures.generateKeyPair();
      this.signingKey = pair.getPrivate();
      current = pair.getPublic();
      LOG.warn("device tokens are signed with an ephemeral in-memory key (dev only): tokens die with this process");
    } else {
      throw new IllegalStateException("edgefleet.auth.device-tokens.signing-key is not set (and no ephemeral key "
          + "is allowed): the control plane cannot issue device tokens");
    }
    this.signingKeyId = ArtifactSignatures.keyId(current);
    keys.put(signingKeyId, current);
    for (Path p : c.previousPublicKeys().orElse(List.of())) {
      PublicKey k = read(p, false).publicKey;
      keys.putIfAbsent(ArtifactSignatures.keyId(k), k);
    }
    this.verificationKeys = Map.copyOf(keys);
    LOG.infof("device tokens: signing key %s, %d verification key(s)", signingKeyId, verificationKeys.size());
  }

  public String signingKeyId() {
    return signingKeyId;
  }

  PrivateKey signingKey() {
    return signingKey;
  }

  /** The accepted public key with this id, or null. */
  public PublicKey verificationKey(String keyId) {
    return keyId == null ? null : verificationKeys.get(keyId);
  }

  private record Loaded(PrivateKey privateKey, PublicKey publicKey) {}

  private static Loaded read(Path file, boolean isPrivate) {
    try {
      return isPrivate ? new Loaded(ArtifactSignatures.readPrivateKey(file), null)
          : new Loaded(null, ArtifactSignatures.readPublicKey(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read device token key " + file + ": " + e.getMessage(), e);
    }
  }
}
