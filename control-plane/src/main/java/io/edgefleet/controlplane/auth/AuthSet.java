package io.edgefleet.controlplane.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One (device id, public key) pair seen at enrolment or preauthorised by an admin (persistence model). */
@Entity
@Table(name = "device_auth_set")
public class AuthSet extends PanacheEntityBase {
  @Id public String id;

  @Column(name = "device_id")
  public String deviceId;

  /** {@code ArtifactSignatures.keyId} of the public key. */
  @Column(name = "key_id")
  public String keyId;

  /** Ed25519 public key, X.509 PEM. */
  @Column(name = "public_key")
  public String publicKey;

  @Enumerated(EnumType.STRING)
  public AuthSetStatus status;

  /** The DeviceRegistration JSON of the latest enrolment request (null when only preauthorised). */
  @Column(name = "registration_json")
  public String registrationJson;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "last_auth_at")
  public Instant lastAuthAt;
}
