package io.edgefleet.schemas.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The build-signing scheme shared by the quantizer worker (signs) and the edge agent (verifies).
 *
 * <p>The signed statement is {@code edgefleet-artifact-v1:<sha256 hex>:<size>}, so a device can verify the signature
 * after hashing the artifact while it streams, without holding the file in memory. Keys are Ed25519, stored as PEM
 * (PKCS#8 private, X.509 SubjectPublicKeyInfo public). A key id is the first 16 hex digits of the sha256 of the public
 * key encoding, so agents can hold several keys during rotation.
 */
public final class ArtifactSignatures {

  public static final String ALGORITHM = "Ed25519";
  private static final String STATEMENT_PREFIX = "edgefleet-artifact-v1:";

  private ArtifactSignatures() {}

  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 unavailable in this JVM", e);
    }
  }

  /** The exact bytes that are signed for an artifact. */
  public static byte[] statement(String sha256Hex, long sizeBytes) {
    return (STATEMENT_PREFIX + sha256Hex.toLowerCase(Locale.ROOT) + ":" + sizeBytes).getBytes(StandardCharsets.US_ASCII);
  }

  /** Base64 Ed25519 signature of the artifact statement. */
  public static String sign(PrivateKey key, String sha256Hex, long sizeBytes) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(statement(sha256Hex, sizeBytes));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  /** Whether {@code signatureBase64} is a valid signature of the artifact statement by {@code key}. */
  public static boolean verify(PublicKey key, String sha256Hex, long sizeBytes, String signatureBase64) {
    if (signatureBase64 == null) {
      return false;
    }
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return false;
    }
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(statement(sha256Hex, sizeBytes));
      return s.verify(sig);
    } catch (java.security.SignatureException e) {
      // malformed signature bytes: not a valid signature
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signature verification could not run", e);
    }
  }

  /** Key id of a public key: first 16 hex digits of sha256(X.509 encoding). */
  public static String keyId(PublicKey key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String toPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  public static String toPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  public static PublicKey readPublicKey(String pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key PEM", e);
    }
  }

  public static PrivateKey readPrivateKey(String pem) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key PEM", e);
    }
  }

  public static PublicKey readPublicKey(Path file) throws IOException {
    return readPublicKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] der(String pem, String label) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf(end);
    if (b < 0 || e < b) {
      throw new IllegalArgumentException("PEM block '" + label + "' not found");
    }
    return Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
  }
}
