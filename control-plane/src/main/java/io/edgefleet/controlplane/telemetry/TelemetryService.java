package io.edgefleet.controlplane.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildMetrics;
import io.edgefleet.schemas.events.InferenceTelemetry;
import io.edgefleet.schemas.events.LatencyStats;
import io.edgefleet.schemas.events.OpTiming;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.jboss.logging.Logger;

/** Stores telemetry batches (deduplicated per device and sequence) and aggregates them per build. */
@ApplicationScoped
public class TelemetryService {
  private static final Logger LOG = Logger.getLogger(TelemetryService.class);
  /** Bounds on a batch's operator profile: far above real models, low enough to keep one row small. */
  static final int MAX_PROFILED_OPS = 4096;
  static final int MAX_OP_NAME = 200;
  private static final TypeReference<List<OpTiming>> OP_LIST = new TypeReference<>() {};
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
    Histogram latency = validate(t);
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
    if (inserted == 1) {
      rollUp(t, latency);
      if (t.opProfile() != null && !t.opProfile().isEmpty()) {
        storeOpProfile(t);
      }
    }
    return inserted == 1;
  }

  /** Keeps the batch's per-operator profile as its device's latest for the build (an older one never replaces it). */
  private void storeOpProfile(InferenceTelemetry t) {
    String ops;
    try {
      ops = EventCodec.mapper().writeValueAsString(t.opProfile());
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot serialise the operator profile of "
          + t.deviceId(), e);
    }
    em.createNativeQuery("""
        INSERT INTO device_op_profile AS p (build_key, device_id, hardware_class, profiled_at, runs, ops)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT (build_key, device_id) DO UPDATE SET hardware_class = EXCLUDED.hardware_class,
          profiled_at = EXCLUDED.profiled_at, runs = EXCLUDED.runs, ops = EXCLUDED.ops
        WHERE p.profiled_at < EXCLUDED.profiled_at""")
        .setParameter(1, t.buildKey()).setParameter(2, t.deviceId())
        .setParameter(3, t.hardwareClass() == null ? MinuteRollup.UNKNOWN_CLASS : t.hardwareClass())
        .setParameter(4, t.windowEnd())
        .setParameter(5, t.opProfile().stream().mapToInt(OpTiming::runs).max().orElse(0))
        .setParameter(6, ops).executeUpdate();
  }

  /** Per-operator view of a build per hardware class, from each device's latest profile. */
  @Transactional
  public OpProfileView opProfile(String buildKey) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("""
        SELECT hardware_class, device_id, profiled_at, ops FROM device_op_profile
         WHERE build_key = ?1 ORDER BY hardware_class, device_id""")
        .setParameter(1, buildKey).getResultList();
    if (rows.isEmpty() && Build.findById(buildKey) == null) {
      throw ControlPlaneException.notFound(ErrorCode.BUILD_NOT_FOUND, "build", buildKey);
    }
    Map<String, List<OpProfileAggregator.DeviceProfile>> byClass = grouped(rows);
    List<OpProfileView.ClassProfile> classes = new ArrayList<>();
    byClass.forEach((hc, profiles) -> classes.add(OpProfileAggregator.merge(hc, profiles)));
    return new OpProfileView(buildKey, classes);
  }

  /**
   * Each device's latest per-operator profile of every build of a model on a hardware class, by build key (in key
   * order, devices in id order).
   */
  @Transactional
  public Map<String, List<OpProfileAggregator.DeviceProfile>> latestOpProfiles(String hardwareClass,
      String modelSha256) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("""
        SELECT p.build_key, p.device_id, p.profiled_at, p.ops
          FROM device_op_profile p JOIN build b ON b.build_key = p.build_key
         WHERE p.hardware_class = ?1 AND b.model_sha256 = ?2
         ORDER BY p.build_key, p.device_id""")
        .setParameter(1, hardwareClass).setParameter(2, modelSha256).getResultList();
    return grouped(rows);
  }

  /** Rows (group key, device id, profiled at, ops JSON) as device profiles per group key, in row order. */
  private static Map<String, List<OpProfileAggregator.DeviceProfile>> grouped(List<Object[]> rows) {
    Map<String, List<OpProfileAggregator.DeviceProfile>> out = new TreeMap<>();
    for (Object[] r : rows) {
      List<OpTiming> ops;
      try {
        ops = EventCodec.mapper().readValue((String) r[3], OP_LIST);
      } catch (JsonProcessingException e) {
        throw new ControlPlaneException(ErrorCode.INTERNAL, "stored operator profile of " + r[1] + " is unreadable",
            e);
      }
      out.computeIfAbsent((String) r[0], k -> new ArrayList<>())
          .add(new OpProfileAggregator.DeviceProfile((String) r[1], instant(r[2]), ops));
    }
    return out;
  }


  /**
   * Adds a newly stored batch to its build's minute rollup and device set, in the same transaction. The upsert locks
   * the minute's row, so concurrent consumers merge histograms one after the other.
   */
  private void rollUp(InferenceTelemetry t, Histogram latency) {
    String hc = t.hardwareClass() == null ? MinuteRollup.UNKNOWN_CLASS : t.hardwareClass();
    em.createNativeQuery("""
        INSERT INTO telemetry_build_device (build_key, hardware_class, device_id) VALUES (?1, ?2, ?3)
        ON CONFLICT DO NOTHING""")
        .setParameter(1, t.buildKey()).setParameter(2, hc).setParameter(3, t.deviceId()).executeUpdate();
    Instant minute = t.windowEnd().truncatedTo(ChronoUnit.MINUTES);
    @SuppressWarnings("unchecked")
    List<Object> current = em.createNativeQuery("""
        INSERT INTO telemetry_minute AS m (build_key, hardware_class, minute, batches, inference_count, labelled_count,
          correct_count, reference_count, agreement_count, error_count, last_report_at, histogram)
        VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL)
        ON CONFLICT (build_key, hardware_class, minute) DO UPDATE SET
          batches = m.batches + 1,
          inference_count = m.inference_count + EXCLUDED.inference_count,
          labelled_count = m.labelled_count + EXCLUDED.labelled_count,
          correct_count = m.correct_count + EXCLUDED.correct_count,
          reference_count = m.reference_count + EXCLUDED.reference_count,
          agreement_count = m.agreement_count + EXCLUDED.agreement_count,
          error_count = m.error_count + EXCLUDED.error_count,
          last_report_at = GREATEST(m.last_report_at, EXCLUDED.last_report_at)
        RETURNING m.histogram""")
        .setParameter(1, t.buildKey()).setParameter(2, hc).setParameter(3, minute)
        .setParameter(4, t.latency().count()).setParameter(5, t.labelledCount()).setParameter(6, t.correctCount())
        .setParameter(7, t.referenceCount()).setParameter(8, t.agreementCount()).setParameter(9, t.errorCount())
        .setParameter(10, t.windowEnd())
        .getResultList();
    if (latency == null) {
      return;
    }
    Histogram merged = LatencyHistograms.empty();
    Object existing = current.isEmpty() ? null : current.get(0);
    if (existing != null) {
      merged.add(LatencyHistograms.decode((String) existing));
    }
    merged.add(latency);
    em.createNativeQuery("""
        UPDATE telemetry_minute SET histogram = ?4 WHERE build_key = ?1 AND hardware_class = ?2 AND minute = ?3""")
        .setParameter(1, t.buildKey()).setParameter(2, hc).setParameter(3, minute)
        .setParameter(4, LatencyHistograms.encode(merged)).executeUpdate();
  }

  /** Checks a batch; returns its decoded latency histogram (null if it carries none), so it is decoded once. */
  static Histogram validate(InferenceTelemetry t) {
    if (t.labelledCount() < 0 || t.correctCount() < 0 || t.correctCount() > t.labelledCount()
        || t.referenceCount() < 0 || t.agreementCount() < 0 || t.agreementCount() > t.referenceCount()
        || t.errorCount() < 0 || t.latency().count() < 0) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "inconsistent counts in telemetry of "
          + t.deviceId() + " #" + t.sequence());
    }
    if (t.windowEnd().isBefore(t.windowStart())) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "telemetry window ends before it starts");
    }
    if (t.opProfile() != null && t.opProfile().size() > MAX_PROFILED_OPS) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "operator profile of " + t.deviceId() + " has "
          + t.opProfile().size() + " operators, more than " + MAX_PROFILED_OPS);
    }
    if (t.opProfile() != null && t.opProfile().stream().anyMatch(o -> o.op().length() > MAX_OP_NAME)) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, "operator profile of " + t.deviceId()
          + " names an operator longer than " + MAX_OP_NAME + " characters");
    }
    if (t.latency().histogram() == null) {
      return null;
    }
    try {
      return LatencyHistograms.decode(t.latency().histogram());
    } catch (IllegalArgumentException e) {
      throw new ControlPlaneException(ErrorCode.EVENT_REJECTED, e.getMessage(), e);
    }
  }

  /**
   * Aggregate of a build overall and per hardware class, from its minute rollups: the cost grows with the minutes the
   * build has been reporting, not with its devices or batches.
   */
  @Transactional
  public TelemetryAggregate forBuild(String buildKey) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows = em.createNativeQuery("""
        SELECT hardware_class, minute, batches, inference_count, labelled_count, correct_count, reference_count,
               agreement_count, error_count, last_report_at, histogram
          FROM telemetry_minute WHERE build_key = ?1 ORDER BY minute""")
        .setParameter(1, buildKey).getResultList();
    if (rows.isEmpty() && Build.findById(buildKey) == null) {
      throw ControlPlaneException.notFound(ErrorCode.BUILD_NOT_FOUND, "build", buildKey);
    }
    Map<String, List<MinuteRollup>> byClass = new TreeMap<>();
    List<MinuteRollup> all = new ArrayList<>();
    for (Object[] r : rows) {
      MinuteRollup m = new MinuteRollup((String) r[0], instant(r[1]), num(r[2]), num(r[3]), num(r[4]), num(r[5]),
          num(r[6]), num(r[7]), num(r[8]), instant(r[9]), r[10] == null ? null : LatencyHistograms.decode((String) r[10]));
      all.add(m);
      byClass.computeIfAbsent(m.hardwareClass(), k -> new ArrayList<>()).add(m);
    }
    Map<String, Integer> devicesByClass = new TreeMap<>();
    @SuppressWarnings("unchecked")
    List<Object[]> deviceCounts = em.createNativeQuery("""
        SELECT hardware_class, count(*) FROM telemetry_build_device WHERE build_key = ?1 GROUP BY hardware_class""")
        .setParameter(1, buildKey).getResultList();
    deviceCounts.forEach(r -> devicesByClass.put((String) r[0], (int) num(r[1])));
    int devices = ((Number) em.createNativeQuery(
        "SELECT count(DISTINCT device_id) FROM telemetry_build_device WHERE build_key = ?1")
        .setParameter(1, buildKey).getSingleResult()).intValue();
    List<TelemetryAggregate> classes = new ArrayList<>();
    byClass.forEach((hc, list) ->
        classes.add(TelemetryAggregator.fromMinutes(buildKey, hc, devicesByClass.getOrDefault(hc, 0), list)));
    return TelemetryAggregator.fromMinutes(buildKey, null, devices, all).withClasses(classes);
  }

  void onStart(@Observes StartupEvent event) {
    rebuildStaleHistograms();
  }

  /**
   * Re-merges the histograms of minutes backfilled by the V12 migration (sums were backfilled in SQL; histograms need
   * decoding). Runs at start, one minute per transaction; idempotent.
   */
  public void rebuildStaleHistograms() {
    int rebuilt = 0;
    while (true) {
      Boolean more = QuarkusTransaction.requiringNew().call(this::rebuildOneStaleMinute);
      if (!Boolean.TRUE.equals(more)) {
        break;
      }
      rebuilt++;
    }
    if (rebuilt > 0) {
      LOG.infof("re-merged the latency histograms of %d backfilled telemetry minutes", rebuilt);
    }
  }

  private boolean rebuildOneStaleMinute() {
    @SuppressWarnings("unchecked")
    List<Object[]> stale = em.createNativeQuery("""
        SELECT build_key, hardware_class, minute FROM telemetry_minute WHERE histogram_stale
        LIMIT 1 FOR UPDATE SKIP LOCKED""").getResultList();
    if (stale.isEmpty()) {
      return false;
    }
    Object[] key = stale.get(0);
    Instant minute = instant(key[2]);
    @SuppressWarnings("unchecked")
    List<Object> histograms = em.createNativeQuery("""
        SELECT histogram FROM telemetry_batch
         WHERE build_key = ?1 AND COALESCE(hardware_class, 'unknown') = ?2 AND window_end >= ?3 AND window_end < ?4
           AND histogram IS NOT NULL""")
        .setParameter(1, key[0]).setParameter(2, key[1]).setParameter(3, minute)
        .setParameter(4, minute.plus(1, ChronoUnit.MINUTES)).getResultList();
    Histogram merged = LatencyHistograms.empty();
    histograms.forEach(h -> merged.add(LatencyHistograms.decode((String) h)));
    em.createNativeQuery("""
        UPDATE telemetry_minute SET histogram = ?4, histogram_stale = FALSE
         WHERE build_key = ?1 AND hardware_class = ?2 AND minute = ?3""")
        .setParameter(1, key[0]).setParameter(2, key[1]).setParameter(3, minute)
        .setParameter(4, histograms.isEmpty() ? null : LatencyHistograms.encode(merged)).executeUpdate();
    return true;
  }

  private static long num(Object o) {
    return ((Number) o).longValue();
  }

  private static Instant instant(Object o) {
    if (o instanceof Instant i) {
      return i;
    }
    if (o instanceof java.time.OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (o instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + o.getClass().getName());
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
}
