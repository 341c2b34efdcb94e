package io.edgefleet.controlplane.builds;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One build per (model sha256, plan hash); persistence model, the API exposes {@link BuildView}. */
@Entity
@Table(name = "build")
public class Build extends PanacheEntityBase {
  @Id
  @Column(name = "build_key")
  public String buildKey;

  @Column(name = "model_id")
  public String modelId;

  @Column(name = "model_sha256")
  public String modelSha256;

  @Column(name = "plan_hash")
  public String planHash;

  public String mode;

  @Column(name = "plan_json")
  public String planJson;

  @Enumerated(EnumType.STRING)
  public BuildStatus status;

  @Column(name = "requested_at")
  public Instant requestedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  @Column(name = "artifact_key")
  public String artifactKey;

  @Column(name = "artifact_sha256")
  public String artifactSha256;

  @Column(name = "size_bytes")
  public Long sizeBytes;

  public String signature;

  @Column(name = "signing_key_id")
  public String signingKeyId;

  @Column(name = "reference_key")
  public String referenceKey;

  @Column(name = "metrics_json")
  public String metricsJson;

  @Column(name = "worker_id")
  public String workerId;

  @Column(name = "duration_millis")
  public Long durationMillis;

  @Column(name = "failure_code")
  public String failureCode;

  @Column(name = "failure_message")
  public String failureMessage;

  /** Why this plan was chosen ({@link io.edgefleet.controlplane.profiles.PlanExplanation} JSON), null if unknown. */
  @Column(name = "explanation_json")
  public String explanationJson;
}
