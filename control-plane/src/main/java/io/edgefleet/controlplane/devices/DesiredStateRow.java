package io.edgefleet.controlplane.devices;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The build a device should run; the row mirrors the latest record on the compacted desired-state topic. */
@Entity
@Table(name = "desired_state")
public class DesiredStateRow extends PanacheEntityBase {
  @Id
  @Column(name = "device_id")
  public String deviceId;

  public long revision;

  @Column(name = "rollout_id")
  public String rolloutId;

  @Column(name = "build_key")
  public String buildKey;

  @Column(name = "max_accuracy_drop")
  public double maxAccuracyDrop;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
