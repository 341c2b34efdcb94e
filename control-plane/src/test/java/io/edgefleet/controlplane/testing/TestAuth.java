package io.edgefleet.controlplane.testing;

import static io.restassured.RestAssured.given;

import io.edgefleet.controlplane.auth.DeviceEnrolmentResource;
import io.edgefleet.schemas.api.AcceleratorInfo;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Real keys for tests, generated once into {@code target/test-auth} (never committed): an RSA key pair playing the
 * OIDC provider of operators, the control plane's current and previous device-token keys, and helpers to mint
 * operator tokens and enrol devices through the real API. Files (not statics) carry the keys so the Quarkus test
 * resource and the test classes agree whatever their class loaders.
 */
public final class TestAuth {
  public static final String ISSUER = "edgefleet-test-idp";
  public static final String AUDIENCE = "edgefleet-control-plane";
  private static final Path DIR = Path.of("target", "test-auth").toAbsolutePath();
  private static final Map<String, String> DEVICE_TOKENS = new ConcurrentHashMap<>();
  private static final HardwareProfile HARDWARE = new HardwareProfile("amd64", "Test CPU", 2, 2L << 30, 8L << 30,
      List.of(), AcceleratorInfo.none(), "Linux 6", "2.19.0");

  static {
    RestAssured.filters(new ServerErrorFilter());
  }

  private TestAuth() {}

  /** Config of the control plane under test: operator verification key and device token keys. */
  public static synchronized Map<String, String> config() {
    ensureKeys();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("mp.jwt.verify.issuer", ISSUER);
    c.put("mp.jwt.verify.publickey.location", DIR.resolve("operator-public.pem").toUri().toString());
    c.put("mp.jwt.verify.audiences", AUDIENCE);
    c.put("edgefleet.auth.device-tokens.signing-key", DIR.resolve("device-token-private.pem").toString());
    c.put("edgefleet.auth.device-tokens.signing-public-key", DIR.resolve("device-token-public.pem").toString());
    c.put("edgefleet.auth.device-tokens.previous-public-keys",
        DIR.resolve("device-token-previous-public.pem").toString());
    return c;
  }

  /** An operator access token with these groups, valid for 10 minutes. */
  public static String operatorToken(String... groups) {
    return operatorToken(ISSUER, Instant.now().plus(Duration.ofMinutes(10)), groups);
  }

  /** An operator token with a chosen issuer and expiry (for negative tests). */
  public static String operatorToken(String issuer, Instant expiresAt, String... groups) {
    ensureKeys();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(issuer);
    claims.setAudience(AUDIENCE);
    claims.setSubject("operator-" + String.join("-", groups));
    claims.setClaim("upn", claims.getClaimValue("sub"));
    claims.setIssuedAt(NumericDate.fromMilliseconds(Instant.now().minusSeconds(5).toEpochMilli()));
    claims.setExpirationTime(NumericDate.fromMilliseconds(expiresAt.toEpochMilli()));
    claims.setStringListClaim("groups", List.of(groups));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setKey(rsaPrivate(DIR.resolve("operator-private.pem")));
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException(e);
    }
  }

  public static RequestSpecification asAdmin() {
    return given().auth().oauth2(operatorToken("admin"));
  }

  public static RequestSpecification asViewer() {
    return given().auth().oauth2(operatorToken("viewer"));
  }

  public static RequestSpecification asOperator() {
    return given().auth().oauth2(operatorToken("operator"));
  }

  /** Requests carrying {@code deviceId}'s own token (preauthorised and enrolled on first use, then cached). */
  public static RequestSpecification asDevice(String deviceId) {
    return given().auth().oauth2(deviceToken(deviceId));
  }

  /** A device token for {@code deviceId}: a fresh key, preauthorised by an admin, then enrolled. */
  public static String deviceToken(String deviceId) {
    return DEVICE_TOKENS.computeIfAbsent(deviceId, id -> {
      KeyPair key = ArtifactSignatures.generateKeyPair();
      asAdmin().contentType(ContentType.JSON)
          .body(List.of(Map.of("deviceId", id, "publicKey", ArtifactSignatures.toPem(key.getPublic()))))
          .post("/api/devices/preauthorized").then().statusCode(200);
      byte[] body = enrolmentBody(id, key, Instant.now());
      return given().contentType(ContentType.JSON).header(DeviceEnrolmentResource.SIGNATURE_HEADER, sign(key, body))
          .body(body).post("/api/devices/auth").then().statusCode(200).extract().path("token");
    });
  }

  /** The JSON enrolment body of a device (registration with a minimal hardware profile). */
  public static byte[] enrolmentBody(String deviceId, KeyPair key, Instant timestamp) {
    DeviceRegistration reg = new DeviceRegistration(deviceId, deviceId, HARDWARE, "0.1.0", Map.of());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deviceId", deviceId);
    body.put("publicKey", ArtifactSignatures.toPem(key.getPublic()));
    body.put("registration", reg);
    body.put("timestamp", timestamp.toString());
    try {
      return EventCodec.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Base64 Ed25519 signature of {@code body}. */
  public static String sign(KeyPair key, byte[] body) {
    try {
      Signature s = Signature.getInstance(ArtifactSignatures.ALGORITHM);
      s.initSign(key.getPrivate());
      s.update(body);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Path of a generated key file ({@code device-token-private.pem}, {@code device-token-previous-private.pem}…). */
  public static Path keyFile(String name) {
    ensureKeys();
    return DIR.resolve(name);
  }

  private static synchronized void ensureKeys() {
    try {
      Files.createDirectories(DIR);
      if (!Files.exists(DIR.resolve("operator-public.pem"))) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        write("operator-private.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        write("operator-public.pem", pem("PUBLIC KEY", rsa.getPublic().getEncoded()));
      }
      for (String name : List.of("device-token", "device-token-previous")) {
        if (!Files.exists(DIR.resolve(name + "-public.pem"))) {
          KeyPair ed = ArtifactSignatures.generateKeyPair();
          write(name + "-private.pem", ArtifactSignatures.toPem(ed.getPrivate()));
          write(name + "-public.pem", ArtifactSignatures.toPem(ed.getPublic()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(String name, String content) throws IOException {
    Path tmp = Files.createTempFile(DIR, name, ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    try {
      Files.move(tmp, DIR.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, DIR.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static PrivateKey rsaPrivate(Path file) {
    try {
      String pem = Files.readString(file, StandardCharsets.US_ASCII);
      String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
