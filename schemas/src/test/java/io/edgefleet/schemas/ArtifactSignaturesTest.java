package io.edgefleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class ArtifactSignaturesTest {

  private static final String SHA = "ab".repeat(32);

  @Test
  void shouldVerifyOnlyTheSignedHashSizeAndKey() {
    KeyPair kp = ArtifactSignatures.generateKeyPair();
    KeyPair other = ArtifactSignatures.generateKeyPair();
    String sig = ArtifactSignatures.sign(kp.getPrivate(), SHA, 1234);

    assertThat(ArtifactSignatures.verify(kp.getPublic(), SHA, 1234, sig)).isTrue();
    assertThat(ArtifactSignatures.verify(kp.getPublic(), "cd".repeat(32), 1234, sig)).isFalse();
    assertThat(ArtifactSignatures.verify(kp.getPublic(), SHA, 1235, sig)).isFalse();
    assertThat(ArtifactSignatures.verify(other.getPublic(), SHA, 1234, sig)).isFalse();
    assertThat(ArtifactSignatures.verify(kp.getPublic(), SHA, 1234, "not base64!")).isFalse();
    assertThat(ArtifactSignatures.verify(kp.getPublic(), SHA, 1234, "AAAA")).isFalse();
  }

  @Test
  void shouldRoundTripKeysThroughPem() {
    KeyPair kp = ArtifactSignatures.generateKeyPair();
    String sig = ArtifactSignatures.sign(ArtifactSignatures.readPrivateKey(ArtifactSignatures.toPem(kp.getPrivate())), SHA, 1);

    assertThat(ArtifactSignatures.verify(ArtifactSignatures.readPublicKey(ArtifactSignatures.toPem(kp.getPublic())), SHA, 1, sig)).isTrue();
    assertThat(ArtifactSignatures.keyId(kp.getPublic())).hasSize(16).isNotEqualTo(ArtifactSignatures.keyId(ArtifactSignatures.generateKeyPair().getPublic()));
  }
}
