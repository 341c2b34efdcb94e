package io.edgefleet.controlplane.rollouts;

import io.edgefleet.controlplane.rollouts.gates.Gate;
import io.edgefleet.controlplane.rollouts.gates.GateVerdict;
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

/** The latest evaluation of one gate on one rollout group × build (persistence model). */
@Entity
@Table(name = "rollout_gate_evaluation")
@IdClass(GateEvaluation.Key.class)
public class GateEvaluation extends PanacheEntityBase {
  @Id
  @Column(name = "rollout_id")
  public String rolloutId;

  @Id
  @Column(name = "group_index")
  public int groupIndex;

  @Id
  @Column(name = "build_key")
  public String buildKey;

  @Id
  @Enumerated(EnumType.STRING)
  public Gate gate;

  public Double value;
  public double threshold;
  public long samples;

  @Column(name = "min_samples")
  public long minSamples;

  @Enumerated(EnumType.STRING)
  public GateVerdict verdict;

  @Column(name = "evaluated_at")
  public Instant evaluatedAt;

  /** Composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String rolloutId;
    public int groupIndex;
    public String buildKey;
    public Gate gate;

    public Key() {}

    public Key(String rolloutId, int groupIndex, String buildKey, Gate gate) {
      this.rolloutId = rolloutId;
      this.groupIndex = groupIndex;
      this.buildKey = buildKey;
      this.gate = gate;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(rolloutId, k.rolloutId) && groupIndex == k.groupIndex
          && Objects.equals(buildKey, k.buildKey) && gate == k.gate;
    }

    @Override
    public int hashCode() {
      return Objects.hash(rolloutId, groupIndex, buildKey, gate);
    }
  }
}
