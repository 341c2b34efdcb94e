package io.edgefleet.controlplane.analysis;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The measured layer table of a READY analysis, one row per model version (persistence model). */
@Entity
@Table(name = "model_analysis")
public class StoredAnalysis extends PanacheEntityBase {
  @Id
  @Column(name = "model_id")
  public String modelId;

  @Column(name = "model_sha256")
  public String modelSha256;

  @Column(name = "worker_id")
  public String workerId;

  @Column(name = "float_size_bytes")
  public long floatSizeBytes;

  @Column(name = "fixed_bytes")
  public long fixedBytes;

  @Column(name = "sensitivity_samples")
  public int sensitivitySamples;

  @Column(name = "latency_host")
  public String latencyHost;

  @Column(name = "duration_millis")
  public long durationMillis;

  @Column(name = "completed_at")
  public Instant completedAt;

  @Column(name = "received_at")
  public Instant receivedAt;

  /** JSON array of {@link io.edgefleet.schemas.events.LayerAnalysis}, stored as jsonb. */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "layers", columnDefinition = "jsonb")
  public String layersJson;
}
