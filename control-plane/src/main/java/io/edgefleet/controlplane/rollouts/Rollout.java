package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.rollouts.gates.GateConfig;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A rollout of one model version to a filtered set of devices, in groups (persistence model). */
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

  @Column(name = "filter_query")
  public String filterQuery;

  @Column(name = "max_accuracy_drop")
  public double maxAccuracyDrop;

  @Enumerated(EnumType.STRING)
  public RolloutStatus status;

  @Column(name = "status_reason")
  public String statusReason;

  public boolean dynamic;

  @Enumerated(EnumType.STRING)
  @Column(name = "breach_action")
  public BreachAction breachAction;

  @Column(name = "gate_max_accuracy_drop")
  public Double gateMaxAccuracyDrop;

  @Column(name = "gate_max_p95_micros")
  public Double gateMaxP95Micros;

  @Column(name = "gate_max_failure_rate")
  public Double gateMaxFailureRate;

  @Column(name = "gate_min_samples")
  public long gateMinSamples;

  /** Index of the latest started group (the group late devices join). */
  @Column(name = "current_group")
  public int currentGroup;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** Scheduled start (the rollout waits in CREATED until then); null = started on creation or by the operator. */
  @Column(name = "start_at")
  public Instant startAt;

  public GateConfig gates() {
    return new GateConfig(gateMaxAccuracyDrop, gateMaxP95Micros, gateMaxFailureRate, Math.max(1, gateMinSamples));
  }
}
