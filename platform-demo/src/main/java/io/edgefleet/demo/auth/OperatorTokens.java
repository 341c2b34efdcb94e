package io.edgefleet.demo.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgefleet.schemas.codec.EventCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays the operators' OIDC provider on this machine: an RSA key pair kept in the platform's data directory (private
 * key mode 600, never in the repository) and RS256 access tokens with {@code iss}, {@code aud}, {@code sub},
 * {@code groups} (viewer, operator, admin), {@code iat}, {@code exp}. The control plane verifies them with the public
 * key ({@code mp.jwt.verify.publickey.location}), exactly as it verifies a real provider's tokens against its JWKS.
 */
public final class OperatorTokens {
  /** Issuer of the locally minted operator tokens. */
  public static final String ISSUER = "edgefleet-local-operators";
  /** Audience the control plane expects (its default {@code mp.jwt.verify.audiences}). */
  public static final String AUDIENCE = "edgefleet-control-plane";

  private final PrivateKey privateKey;
  private final Path publicKeyFile;

  private OperatorTokens(PrivateKey privateKey, Path publicKeyFile) {
    this.privateKey = privateKey;
    this.publicKeyFile = publicKeyFile;
  }

  /** Loads the key pair from {@code keysDir}, generating it on first use. */
  public static OperatorTokens loadOrCreate(Path keysDir) throws IOException {
    Files.createDirectories(keysDir);
    Path priv = keysDir.resolve("operator-jwt.key.pem");
    Path pub = keysDir.resolve("operator-jwt.pub.pem");
    try {
      if (!Files.exists(priv) || !Files.exists(pub)) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        writePrivate(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()), StandardCharsets.US_ASCII);
      }
      String b64 = Files.readString(priv, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
          .replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
      return new OperatorTokens(key, pub);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException("cannot load or create the operator token key in " + keysDir + ": " + e.getMessage(), e);
    }
  }

  /** The public key PEM the control plane verifies operator tokens with. */
  public Path publicKeyFile() {
    return publicKeyFile;
  }

  /** A signed access token for {@code subject} with these groups, valid for {@code ttl}. */
  public String mint(String subject, Duration ttl, String... groups) {
    Instant now = Instant.now();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", subject);
    claims.put("upn", subject);
    claims.put("groups", List.of(groups));
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(ttl).getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    String signingInput = b64(json(header)) + "." + b64(json(claims));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(privateKey);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an operator token", e);
    }
  }

  private static byte[] json(Object o) {
    try {
      return EventCodec.mapper().writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  /** Writes a private key readable by the owner only. */
  public static void writePrivate(Path file, String pem) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
