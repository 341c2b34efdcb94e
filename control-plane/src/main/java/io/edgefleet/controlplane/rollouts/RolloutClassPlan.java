package io.edgefleet.controlplane.rollouts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The plan chosen for one hardware class of a rollout, its build and the planner's explanation (persistence). */
@Entity
@Table(name = "rollout_class_plan")
@IdClass(RolloutClassPlan.Key.class)
public class RolloutClassPlan extends PanacheEntityBase {
  @Id
  @Column(name = "rollout_id")
  public String rolloutId;

  @Id
  @Column(name = "hardware_class")
  public String hardwareClass;

  @Column(name = "build_key")
  public String buildKey;

  @Column(name = "plan_hash")
  public String planHash;

  public String mode;

  /** {@link io.edgefleet.controlplane.profiles.PlanExplanation} as JSON. */
  @Column(name = "explanation_json")
  public String explanationJson;

  @Column(name = "planned_at")
  public Instant plannedAt;

  /** Composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String rolloutId;
    public String hardwareClass;

    public Key() {}

    public Key(String rolloutId, String hardwareClass) {
      this.rolloutId = rolloutId;
      this.hardwareClass = hardwareClass;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(rolloutId, k.rolloutId)
          && Objects.equals(hardwareClass, k.hardwareClass);
    }

    @Override
    public int hashCode() {
      return Objects.hash(rolloutId, hardwareClass);
    }
  }
}
