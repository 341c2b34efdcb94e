package io.edgefleet.worker.signing;

import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;

/** Signs build artifacts with the worker's Ed25519 key ({@link ArtifactSignatures} statement format). */
public final class BuildSigner {
  private final PrivateKey privateKey;
  private final String keyId;

  private BuildSigner(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.keyId = ArtifactSignatures.keyId(publicKey);
  }

  /**
   * Loads the key pair and checks that the public key matches the private one, so that a misconfigured worker fails at
   * start instead of publishing builds no device accepts.
   */
  public static BuildSigner load(Path privateKeyPem, Path publicKeyPem) {
    PrivateKey priv;
    PublicKey pub;
    try {
      priv = ArtifactSignatures.readPrivateKey(privateKeyPem);
    } catch (IOException | IllegalArgumentException e) {
      throw new WorkerException(WorkerErrorCode.INVALID_CONFIG, "cannot read signing private key " + privateKeyPem + ": " + e, e);
    }
    try {
      pub = ArtifactSignatures.readPublicKey(publicKeyPem);
    } catch (IOException | IllegalArgumentException e) {
      throw new WorkerException(WorkerErrorCode.INVALID_CONFIG, "cannot read signing public key " + publicKeyPem + ": " + e, e);
    }
    return of(priv, pub);
  }

  /** A signer over an in-memory key pair; checks that the keys belong together. */
  public static BuildSigner of(PrivateKey privateKey, PublicKey publicKey) {
    String probe = "0".repeat(64);
    if (!ArtifactSignatures.verify(publicKey, probe, 1, ArtifactSignatures.sign(privateKey, probe, 1))) {
      throw new WorkerException(WorkerErrorCode.INVALID_CONFIG, "the signing public key does not match the private key");
    }
    return new BuildSigner(privateKey, publicKey);
  }

  /** Base64 signature of the artifact statement. */
  public String sign(String artifactSha256, long sizeBytes) {
    return ArtifactSignatures.sign(privateKey, artifactSha256, sizeBytes);
  }

  /** Key id agents use to pick the verifying public key. */
  public String keyId() {
    return keyId;
  }
}
