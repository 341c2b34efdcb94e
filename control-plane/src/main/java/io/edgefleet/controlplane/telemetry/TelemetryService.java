package io.edgefleet.controlplane.telemetry;

import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stores telemetry batches (deduplicated per device and sequence) and aggregates them per build. */
@ApplicationScoped
public class TelemetryService {
  private final EntityManager em;
  private final Clock clock = Clock.systemUTC();

  public TelemetryService(EntityManager em) {
    this.em = em;
  }

  /**
   * Validates and stores one batch.
   *
   * @return false if the batch was a replay (same device and sequence already stored)
   * @throws ControlPlaneException {@link ErrorCode#EVENT_REJECTED} if the batch is inconsistent (dead-letter it)
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean ingest(InferenceTelemetry t) {
    validate(t);
    LatencyStats l = t.latency();
    int inserted = em.createNativeQuery("""
        INSERT INTO telemetry_batch (device_id, sequence, build_key, rollout_id, hardware_class, window_start,
          window_end, inference_count, p50_micros, p95_micros, p99_micros, max_micros, mean_micros, histogram,
          labelled_count, correct_count, reference_count, agreement_count, error_count, threads, received_at)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
        ON CONFLICT (device_id, sequence) DO NOTHING""")
        .setParameter(1, t.deviceId()).setParameter(2, t.sequence()).setParameter(3, t.buildKey())
        .setParameter(4, t.rolloutId()).setParameter(5, t.hardwareClass()).setParameter(6, t.windowStart())
        .setParameter(7, t.windowEnd()).setParameter(8, l.count()).setParameter(9, l.p50Micros())
        .setParameter(10, l.p95Micros()).setParameter(11, l.p99Micros()).setParameter(12, l.maxMicros())
        .setParameter(13, l.meanMicros()).setParameter(14, l.histogram()).setParameter(15, t.labelledCount())
        .setParameter(16, t.correctCount()).setParameter(17, t.referenceCount()).setParameter(18, t.agreementCount())
        .setParameter(19, t.errorCount()).setParameter(20, t.threads()).setParameter(21, clock.instant())
        .executeUpdate();
    return inserted == 1;
  }

  static void validate(InferenceTelemetry t) {
    if (t.labelledCount() < 0 || t.correctCount() < 0 || t.correctCount() > t.labelledCount()
        || t.referenceCount() < 0 || t.agreementCount() < 0 || t.agreementCount() > t.referenceCount()
        || t.errorCount() < 0 || t.latency().count() < 0) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "inconsistent counts in telemetry of "
          + t.deviceId() + " #" + t.sequence());
    }
    if (t.windowEnd().isBefore(t.windowStart())) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "telemetry window ends before it starts");
    }
    if (t.latency().histogram() != null) {
      try {
        LatencyHistograms.decode(t.latency().histogram());
      } catch (IllegalArgumentException e) {
        throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, e.getMessage(), e);
      }
    }
  }

  /** Aggregate of a build overall and per hardware class. */
  public TelemetryAggregate forBuild(String buildKey) {
    List<TelemetryBatch> batches = TelemetryBatch.list("buildKey", Sort.by("windowEnd"), buildKey);
    if (batches.isEmpty() && Build.findById(buildKey) == null) {
      throw ControlPlaneException.notFound(ErrorCode.BUILD_NOT_FOUND, "build", buildKey);
    }
    List<TelemetrySample> all = new ArrayList<>();
    Map<String, List<TelemetrySample>> byClass = new TreeMap<>();
    for (TelemetryBatch b : batches) {
      TelemetrySample s = sample(b);
      all.add(s);
      byClass.computeIfAbsent(b.hardwareClass == null ? "unknown" : b.hardwareClass, k -> new ArrayList<>()).add(s);
    }
    List<TelemetryAggregate> classes = new ArrayList<>();
    byClass.forEach((hc, list) -> classes.add(TelemetryAggregator.aggregate(buildKey, hc, list)));
    return TelemetryAggregator.aggregate(buildKey, null, all).withClasses(classes);
  }

  /** Every build with its worker metrics (float vs quantized) and fleet aggregate. */
  public List<BuildSummary> summary() {
    List<BuildSummary> rows = new ArrayList<>();
    for (Build b : Build.<Build>listAll(Sort.descending("requestedAt"))) {
      BuildMetrics m = BuildService.metrics(b);
      Model model = b.modelId == null ? null : Model.findById(b.modelId);
      TelemetryAggregate fleet = forBuild(b.buildKey);
      rows.add(new BuildSummary(b.buildKey, b.modelId, model == null ? null : model.name, b.mode, b.status,
          m != null ? Long.valueOf(m.floatSizeBytes()) : model == null ? null : model.sizeBytes, b.sizeBytes,
          m == null || m.floatTop1() < 0 ? null : m.floatTop1(),
          m == null || m.quantizedTop1() < 0 ? null : m.quantizedTop1(), m == null ? null : m.agreementWithFloat(),
          m == null ? null : m.floatP50LatencyMicros(), m == null ? null : m.p50LatencyMicros(), fleet));
    }
    return rows;
  }

  private static TelemetrySample sample(TelemetryBatch b) {
    return new TelemetrySample(b.deviceId, b.hardwareClass, b.windowEnd, b.inferenceCount,
        b.histogram == null ? null : LatencyHistograms.decode(b.histogram), b.labelledCount, b.correctCount,
        b.referenceCount, b.agreementCount, b.errorCount);
  }
}
