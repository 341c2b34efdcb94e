package io.edgefleet.controlplane.rollouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.builds.BuildStatus;
import io.edgefleet.controlplane.devices.AssignmentService;
import io.edgefleet.controlplane.devices.Device;
import io.edgefleet.controlplane.devices.DeviceFilter;
import io.edgefleet.controlplane.devices.DeviceService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.models.ModelService;
import io.edgefleet.controlplane.profiles.ProfilePicker;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Rollouts: resolve the target devices, plan and build per hardware class, assign devices as their class's build
 * completes, and track device feedback. The transition rules live in {@link RolloutStateMachine}.
 */
@ApplicationScoped
public class RolloutService {
  private static final Logger LOG = Logger.getLogger(RolloutService.class);

  private final DeviceService devices;
  private final ModelService models;
  private final BuildService builds;
  private final ProfilePicker profiles;
  private final AssignmentService assignments;
  private final Clock clock = Clock.systemUTC();

  public RolloutService(DeviceService devices, ModelService models, BuildService builds, ProfilePicker profiles,
      AssignmentService assignments) {
    this.devices = devices;
    this.models = models;
    this.builds = builds;
    this.profiles = profiles;
    this.assignments = assignments;
  }

  @Transactional
  public Rollout create(CreateRolloutRequest request) {
    Model model = models.require(request.modelId());
    DeviceFilter filter = request.deviceFilter() == null ? DeviceFilter.all() : request.deviceFilter();
    List<Device> targets = devices.find(filter);
    if (targets.isEmpty()) {
      throw new ControlPlaneException(ErrorCode.NO_MATCHING_DEVICES, "no registered device matches " + filter);
    }
    Instant now = clock.instant();
    Rollout r = new Rollout();
    r.id = UUID.randomUUID().toString();
    r.name = request.name();
    r.modelId = model.id;
    r.filterHardwareClass = filter.hardwareClass();
    r.filterJson = json(filter);
    r.maxAccuracyDrop = request.maxAccuracyDrop();
    r.status = RolloutStatus.RUNNING;
    r.createdAt = now;
    r.persist();

    Map<String, List<Device>> byClass = new TreeMap<>();
    for (Device d : targets) {
      byClass.computeIfAbsent(d.hardwareClass, k -> new ArrayList<>()).add(d);
    }
    var ops = ModelService.opCounts(model).keySet();
    for (Map.Entry<String, List<Device>> e : byClass.entrySet()) {
      QuantizationPlan plan = profiles.pick(DeviceService.hardware(e.getValue().get(0)), ops);
      Build build = builds.ensureBuild(model, plan);
      LOG.infof("rollout %s: class %s (%d devices) -> %s, build %s [%s]", r.id, e.getKey(), e.getValue().size(),
          plan.mode(), build.buildKey, build.status);
      for (Device d : e.getValue()) {
        RolloutDevice t = new RolloutDevice();
        t.rolloutId = r.id;
        t.deviceId = d.id;
        t.hardwareClass = d.hardwareClass;
        t.buildKey = build.buildKey;
        t.planMode = plan.mode();
        t.status = DeviceRolloutStatus.WAITING_FOR_BUILD;
        t.updatedAt = now;
        t.persist();
        if (build.status == BuildStatus.COMPLETED) {
          assign(r, t, build);
        } else if (build.status == BuildStatus.FAILED) {
          fail(t, build);
        }
      }
    }
    refresh(r);
    return r;
  }

  /** Assigns every device waiting for {@code build} (called when its result arrives). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void onBuildCompleted(Build build) {
    List<RolloutDevice> waiting = RolloutDevice.list("buildKey = ?1 and status = ?2", build.buildKey,
        DeviceRolloutStatus.WAITING_FOR_BUILD);
    for (RolloutDevice t : waiting) {
      Rollout r = Rollout.findById(t.rolloutId);
      assign(r, t, build);
      refresh(r);
    }
  }

  /** Fails every device waiting for {@code build}. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void onBuildFailed(Build build) {
    List<RolloutDevice> waiting = RolloutDevice.list("buildKey = ?1 and status = ?2", build.buildKey,
        DeviceRolloutStatus.WAITING_FOR_BUILD);
    for (RolloutDevice t : waiting) {
      fail(t, build);
      refresh(Rollout.findById(t.rolloutId));
    }
  }

  /** Applies device feedback to the device's entry in the rollout it is about. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void onFeedback(DeviceFeedback f) {
    RolloutDevice t = f.rolloutId() != null
        ? RolloutDevice.findById(new RolloutDevice.Key(f.rolloutId(), f.deviceId()))
        : RolloutDevice.find("deviceId = ?1 and buildKey = ?2 order by updatedAt desc", f.deviceId(), f.buildKey())
            .firstResult();
    if (t == null || !f.buildKey().equals(t.buildKey)) {
      LOG.debugf("feedback of %s about %s matches no rollout entry; recorded nowhere", f.deviceId(), f.buildKey());
      return;
    }
    DeviceRolloutStatus next = RolloutStateMachine.onFeedback(t.status, f.status());
    if (next != t.status) {
      t.status = next;
      t.reason = f.reason();
      t.updatedAt = f.at();
      refresh(Rollout.findById(t.rolloutId));
    }
  }

  private void assign(Rollout r, RolloutDevice t, Build build) {
    for (RolloutDevice older : RolloutDevice.<RolloutDevice>list("deviceId = ?1 and rolloutId <> ?2", t.deviceId,
        r.id)) {
      DeviceRolloutStatus s = RolloutStateMachine.onSuperseded(older.status);
      if (s != older.status) {
        older.status = s;
        older.reason = "superseded by rollout " + r.id;
        older.updatedAt = clock.instant();
        refresh(Rollout.findById(older.rolloutId));
      }
    }
    t.revision = assignments.assign(t.deviceId, r.id, build, r.maxAccuracyDrop);
    t.status = RolloutStateMachine.onBuildCompleted(t.status);
    t.updatedAt = clock.instant();
  }

  private void fail(RolloutDevice t, Build build) {
    t.status = RolloutStateMachine.onBuildFailed(t.status);
    t.reason = "build " + build.buildKey + " failed: " + build.failureCode + " " + build.failureMessage;
    t.updatedAt = clock.instant();
  }

  private void refresh(Rollout r) {
    List<DeviceRolloutStatus> statuses = RolloutDevice.<RolloutDevice>list("rolloutId", r.id).stream()
        .map(t -> t.status).toList();
    RolloutStatus next = RolloutStateMachine.next(r.status, RolloutStateMachine.progress(statuses));
    if (next != r.status) {
      r.status = next;
      r.finishedAt = clock.instant();
      LOG.infof("rollout %s %s", r.id, next);
    }
  }

  public Rollout require(String id) {
    Rollout r = Rollout.findById(id);
    if (r == null) {
      throw ControlPlaneException.notFound(ErrorCode.ROLLOUT_NOT_FOUND, "rollout", id);
    }
    return r;
  }

  public List<Rollout> list() {
    return Rollout.listAll(Sort.descending("createdAt"));
  }

  public RolloutView view(Rollout r) {
    List<RolloutDevice> targets = RolloutDevice.list("rolloutId = ?1 order by deviceId", r.id);
    RolloutProgress p = RolloutStateMachine.progress(targets.stream().map(t -> t.status).toList());
    Map<String, RolloutView.ClassPlan> classes = new TreeMap<>();
    for (RolloutDevice t : targets) {
      classes.merge(t.hardwareClass, new RolloutView.ClassPlan(t.hardwareClass, t.planMode, t.buildKey, 1),
          (a, b) -> new RolloutView.ClassPlan(a.hardwareClass(), a.mode(), a.buildKey(), a.devices() + 1));
    }
    List<RolloutView.DeviceEntry> entries = targets.stream().map(t -> new RolloutView.DeviceEntry(t.deviceId,
        t.hardwareClass, t.buildKey, t.status, t.reason, t.revision, t.updatedAt)).toList();
    return new RolloutView(r.id, r.name, r.modelId, read(r.filterJson), r.maxAccuracyDrop, r.status, r.createdAt,
        r.finishedAt, p.counts(), p.total(), p.succeeded(), p.failed(), List.copyOf(classes.values()), entries);
  }

  private static String json(DeviceFilter f) {
    try {
      return EventCodec.mapper().writeValueAsString(f);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "cannot serialise device filter", e);
    }
  }

  private static DeviceFilter read(String json) {
    try {
      return EventCodec.mapper().readValue(json, DeviceFilter.class);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "stored device filter is unreadable", e);
    }
  }
}
