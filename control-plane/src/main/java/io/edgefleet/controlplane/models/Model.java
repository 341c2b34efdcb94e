package io.edgefleet.controlplane.models;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A validated float model version with its sample sets (persistence model; the API exposes {@link ModelView}). */
@Entity
@Table(name = "model")
public class Model extends PanacheEntityBase {
  @Id public String id;
  public String name;
  public int version;
  public String sha256;

  @Column(name = "size_bytes")
  public long sizeBytes;

  @Column(name = "object_key")
  public String objectKey;

  @Column(name = "calibration_sha256")
  public String calibrationSha256;

  @Column(name = "calibration_key")
  public String calibrationKey;

  @Column(name = "calibration_samples")
  public int calibrationSamples;

  @Column(name = "eval_sha256")
  public String evalSha256;

  @Column(name = "eval_key")
  public String evalKey;

  @Column(name = "eval_samples")
  public int evalSamples;

  @Column(name = "input_shape")
  public String inputShape;

  @Column(name = "input_type")
  public String inputType;

  @Column(name = "output_shape")
  public String outputShape;

  @Column(name = "operator_count")
  public int operatorCount;

  @Column(name = "op_counts_json")
  public String opCountsJson;

  @Column(name = "total_macs")
  public long totalMacs;

  @Column(name = "total_parameters")
  public long totalParameters;

  @Column(name = "created_at")
  public Instant createdAt;

  /** Where the measured per-layer analysis stands (the layers themselves are in {@code model_analysis}). */
  @Enumerated(EnumType.STRING)
  @Column(name = "analysis_status")
  public AnalysisStatus analysisStatus;

  @Column(name = "analysis_requested_at")
  public Instant analysisRequestedAt;

  @Column(name = "analysis_updated_at")
  public Instant analysisUpdatedAt;

  @Column(name = "analysis_error_code")
  public String analysisErrorCode;

  @Column(name = "analysis_error_message")
  public String analysisErrorMessage;

  @Column(name = "analysis_retriable")
  public Boolean analysisRetriable;
}
