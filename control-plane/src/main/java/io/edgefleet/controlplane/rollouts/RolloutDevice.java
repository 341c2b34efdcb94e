package io.edgefleet.controlplane.rollouts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One device targeted by a rollout (persistence model). */
@Entity
@Table(name = "rollout_device")
@IdClass(RolloutDevice.Key.class)
public class RolloutDevice extends PanacheEntityBase {
  @Id
  @Column(name = "rollout_id")
  public String rolloutId;

  @Id
  @Column(name = "device_id")
  public String deviceId;

  @Column(name = "hardware_class")
  public String hardwareClass;

  @Column(name = "build_key")
  public String buildKey;

  @Column(name = "plan_mode")
  public String planMode;

  @Enumerated(EnumType.STRING)
  public DeviceRolloutStatus status;

  public String reason;

  public Long revision;

  @Column(name = "group_index")
  public int groupIndex;

  /** Whether the device's desired state before this rollout assigned it was recorded (for rollback). */
  @Column(name = "had_previous")
  public boolean hadPrevious;

  @Column(name = "previous_rollout_id")
  public String previousRolloutId;

  /** Build the device was assigned before this rollout (null = none). */
  @Column(name = "previous_build_key")
  public String previousBuildKey;

  @Column(name = "previous_max_accuracy_drop")
  public Double previousMaxAccuracyDrop;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** Composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String rolloutId;
    public String deviceId;

    public Key() {}

    public Key(String rolloutId, String deviceId) {
      this.rolloutId = rolloutId;
      this.deviceId = deviceId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(rolloutId, k.rolloutId) && Objects.equals(deviceId, k.deviceId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(rolloutId, deviceId);
    }
  }
}
