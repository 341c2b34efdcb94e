package io.edgefleet.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.signing.ArtifactSignatures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceKeyTest {
  @TempDir Path dataDir;

  @Test
  void shouldCreateTheKeyOnceWithAnOwnerOnlyPrivateKeyFile() throws Exception {
    DeviceKey first = DeviceKey.loadOrCreate(dataDir);
    DeviceKey again = DeviceKey.loadOrCreate(dataDir);

    assertThat(again.publicKeyPem()).isEqualTo(first.publicKeyPem());
    assertThat(again.keyId()).isEqualTo(ArtifactSignatures.keyId(first.publicKey()));
    assertThat(DeviceKey.privateKeyPermissions(dataDir))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void shouldSignWithThePrivateKeyOfItsPublicKey() throws Exception {
    DeviceKey key = DeviceKey.loadOrCreate(dataDir);
    byte[] body = "{\"deviceId\":\"d\"}".getBytes(StandardCharsets.UTF_8);

    Signature v = Signature.getInstance("Ed25519");
    v.initVerify(key.publicKey());
    v.update(body);
    assertThat(v.verify(Base64.getDecoder().decode(key.sign(body)))).isTrue();
    v.initVerify(DeviceKey.loadOrCreate(dataDir.resolve("other")).publicKey());
    v.update(body);
    assertThat(v.verify(Base64.getDecoder().decode(key.sign(body)))).isFalse();
  }
}
