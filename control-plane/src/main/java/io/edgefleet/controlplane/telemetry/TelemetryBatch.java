package io.edgefleet.controlplane.telemetry;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A stored telemetry batch, unique per (device, sequence) so replays are dropped. */
@Entity
@Table(name = "telemetry_batch")
@IdClass(TelemetryBatch.Key.class)
public class TelemetryBatch extends PanacheEntityBase {
  @Id
  @Column(name = "device_id")
  public String deviceId;

  @Id public long sequence;

  @Column(name = "build_key")
  public String buildKey;

  @Column(name = "rollout_id")
  public String rolloutId;

  @Column(name = "hardware_class")
  public String hardwareClass;

  @Column(name = "window_start")
  public Instant windowStart;

  @Column(name = "window_end")
  public Instant windowEnd;

  @Column(name = "inference_count")
  public long inferenceCount;

  public String histogram;

  @Column(name = "labelled_count")
  public long labelledCount;

  @Column(name = "correct_count")
  public long correctCount;

  @Column(name = "reference_count")
  public long referenceCount;

  @Column(name = "agreement_count")
  public long agreementCount;

  @Column(name = "error_count")
  public long errorCount;

  /** Composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    public String deviceId;
    public long sequence;

    public Key() {}

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Objects.equals(deviceId, k.deviceId) && sequence == k.sequence;
    }

    @Override
    public int hashCode() {
      return Objects.hash(deviceId, sequence);
    }
  }
}
