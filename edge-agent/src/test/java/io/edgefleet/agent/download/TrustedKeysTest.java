package io.edgefleet.agent.download;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.agent.AgentErrorCode;
import io.edgefleet.agent.AgentException;
import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {
  private static final String SHA = "ab".repeat(32);
  private final KeyPair current = ArtifactSignatures.generateKeyPair();
  private final KeyPair next = ArtifactSignatures.generateKeyPair();
  private final KeyPair attacker = ArtifactSignatures.generateKeyPair();

  @Test
  void shouldAcceptSignaturesOfEveryTrustedKeyDuringRotation(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.pem");
    Path b = dir.resolve("b.pem");
    Files.writeString(a, ArtifactSignatures.toPem(current.getPublic()));
    Files.writeString(b, ArtifactSignatures.toPem(next.getPublic()));
    TrustedKeys keys = TrustedKeys.load(List.of(a, b));

    assertThatCode(() -> keys.verify(SHA, 42, ArtifactSignatures.sign(current.getPrivate(), SHA, 42), id(current)))
        .doesNotThrowAnyException();
    assertThatCode(() -> keys.verify(SHA, 42, ArtifactSignatures.sign(next.getPrivate(), SHA, 42), id(next)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRejectUnknownKeyIds() {
    TrustedKeys keys = TrustedKeys.of(List.of(current.getPublic()));
    rejected(() -> keys.verify(SHA, 42, ArtifactSignatures.sign(attacker.getPrivate(), SHA, 42), id(attacker)), "unknown key id");
  }

  @Test
  void shouldRejectASignatureByAnotherKeyClaimingATrustedKeyId() {
    TrustedKeys keys = TrustedKeys.of(List.of(current.getPublic()));
    rejected(() -> keys.verify(SHA, 42, ArtifactSignatures.sign(attacker.getPrivate(), SHA, 42), id(current)), "does not verify");
  }

  @Test
  void shouldRejectASignatureOfAnotherSizeOrHash() {
    TrustedKeys keys = TrustedKeys.of(List.of(current.getPublic()));
    String sig = ArtifactSignatures.sign(current.getPrivate(), SHA, 42);
    rejected(() -> keys.verify(SHA, 43, sig, id(current)), "does not verify");
    rejected(() -> keys.verify("cd".repeat(32), 42, sig, id(current)), "does not verify");
    rejected(() -> keys.verify(SHA, 42, null, id(current)), "no signature");
    rejected(() -> keys.verify(SHA, 42, sig, null), "no signing key id");
  }

  @Test
  void shouldRefuseAFileThatIsNotAnEd25519PublicKey(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.pem");
    Files.writeString(bad, "not a key");
    assertThatThrownBy(() -> TrustedKeys.load(List.of(bad)))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("bad.pem");
  }

  private static String id(KeyPair k) {
    return ArtifactSignatures.keyId(k.getPublic());
  }

  private static void rejected(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOf(AgentException.class)
        .hasMessageContaining(message)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((AgentException) e).code()).isEqualTo(AgentErrorCode.SIGNATURE_REJECTED));
  }
}
