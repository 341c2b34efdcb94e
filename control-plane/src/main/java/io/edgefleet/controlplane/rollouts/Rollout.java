package io.edgefleet.controlplane.rollouts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A rollout of one model version to a filtered set of devices (persistence model). */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {
  @Id public String id;
  public String name;

  @Column(name = "model_id")
  public String modelId;

  @Column(name = "filter_hardware_class")
  public String filterHardwareClass;

  @Column(name = "filter_json")
  public String filterJson;

  @Column(name = "max_accuracy_drop")
  public double maxAccuracyDrop;

  @Enumerated(EnumType.STRING)
  public RolloutStatus status;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "finished_at")
  public Instant finishedAt;
}
