package io.edgefleet.controlplane.rollouts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One entry of a rollout's history: an action, the status before and after, and why (persistence model). */
@Entity
@Table(name = "rollout_transition")
public class RolloutTransition extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "rollout_id")
  public String rolloutId;

  public Instant at;

  @Enumerated(EnumType.STRING)
  public RolloutAction action;

  @Enumerated(EnumType.STRING)
  @Column(name = "from_status")
  public RolloutStatus fromStatus;

  @Enumerated(EnumType.STRING)
  @Column(name = "to_status")
  public RolloutStatus toStatus;

  @Column(name = "group_index")
  public Integer groupIndex;

  public String reason;
}
