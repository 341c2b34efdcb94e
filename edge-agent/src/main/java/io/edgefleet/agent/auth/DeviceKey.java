package io.edgefleet.agent.auth;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Set;

/**
 * The device's Ed25519 identity key: generated on first start into {@code <data-dir>/identity/} (private key file mode
 * 600, never sent anywhere), loaded on later starts. The public key is what an admin accepts or preauthorises.
 */
public final class DeviceKey {
  static final String PRIVATE_FILE = "device-key.pem";
  static final String PUBLIC_FILE = "device-key.pub.pem";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private DeviceKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Loads the key of {@code dataDir}, generating it on first use. */
  public static DeviceKey loadOrCreate(Path dataDir) {
    Path dir = dataDir.resolve("identity");
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(priv)) {
        KeyPair pair = ArtifactSignatures.generateKeyPair();
        writeOwnerOnly(priv, ArtifactSignatures.toPem(pair.getPrivate()));
        Files.writeString(pub, ArtifactSignatures.toPem(pair.getPublic()), StandardCharsets.US_ASCII);
      }
      return new DeviceKey(ArtifactSignatures.readPrivateKey(priv), ArtifactSignatures.readPublicKey(pub));
    } catch (IOException | IllegalArgumentException e) {
      throw new AgentException(AgentErrorCode.DEVICE_KEY_FAILED, "cannot load or create the device key in " + dir
          + ": " + e.getMessage(), e);
    }
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
      tmp.toFile().setReadable(false, false);
      tmp.toFile().setReadable(true, true);
      tmp.toFile().setWritable(false, false);
      tmp.toFile().setWritable(true, true);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("concurrent key creation at " + tmp, e);
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as X.509 PEM (what the control plane stores in the auth set). */
  public String publicKeyPem() {
    return ArtifactSignatures.toPem(publicKey);
  }

  /** {@link ArtifactSignatures#keyId} of the public key, for logs. */
  public String keyId() {
    return ArtifactSignatures.keyId(publicKey);
  }

  /** Base64 Ed25519 signature of {@code bytes}. */
  public String sign(byte[] bytes) {
    try {
      Signature s = Signature.getInstance(ArtifactSignatures.ALGORITHM);
      s.initSign(privateKey);
      s.update(bytes);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new AgentException(AgentErrorCode.DEVICE_KEY_FAILED, "cannot sign with the device key: " + e, e);
    }
  }

  /** POSIX permissions of the private key file, e.g. for a start-up check. */
  public static Set<java.nio.file.attribute.PosixFilePermission> privateKeyPermissions(Path dataDir) throws IOException {
    return Files.getPosixFilePermissions(dataDir.resolve("identity").resolve(PRIVATE_FILE));
  }
}
