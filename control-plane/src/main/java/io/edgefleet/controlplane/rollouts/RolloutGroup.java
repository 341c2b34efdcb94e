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

/** One group of a rollout (persistence model). */
@Entity
@Table(name = "rollout_group")
@IdClass(RolloutGroup.Key.class)
public class RolloutGroup extends PanacheEntityBase {
  @Id
  @Column(name = "rollout_id")
  public String rolloutId;

  @Id
  @Column(name = "group_index")
  public int groupIndex;

  public String name;

  @Column(name = "size_percent")
  public Double sizePercent;

  @Column(name = "size_count")
  public Integer sizeCount;

  @Column(name = "success_threshold")
  public double successThreshold;

  @Column(name = "error_threshold")
  public double errorThreshold;

  @Enumerated(EnumType.STRING)
  public GroupStatus status;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "completed_at")
  public Instant completedAt;

  /** Composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String rolloutId;
    public int groupIndex;

    public Key() {}

    public Key(String rolloutId, int groupIndex) {
      this.rolloutId = rolloutId;
      this.groupIndex = groupIndex;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(rolloutId, k.rolloutId) && groupIndex == k.groupIndex;
    }

    @Override
    public int hashCode() {
      return Objects.hash(rolloutId, groupIndex);
    }
  }
}
