package io.edgefleet.controlplane.rollouts;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgefleet.controlplane.analysis.AnalysisData;
import io.edgefleet.controlplane.analysis.AnalysisService;
import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildService;
import io.edgefleet.controlplane.builds.BuildStatus;
import io.edgefleet.controlplane.devices.AssignmentService;
import io.edgefleet.controlplane.devices.DesiredStateRow;
import io.edgefleet.controlplane.devices.Device;
import io.edgefleet.controlplane.devices.DeviceFilter;
import io.edgefleet.controlplane.devices.DeviceService;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.models.ModelService;
import io.edgefleet.controlplane.profiles.DeviceLatencyCalibrator;
import io.edgefleet.controlplane.profiles.PlanDecision;
import io.edgefleet.controlplane.profiles.PlanExplanation;
import io.edgefleet.controlplane.profiles.ProfilePicker;
import io.edgefleet.controlplane.profiles.Slo;
import io.edgefleet.controlplane.rollouts.RolloutStateMachine.GroupDecision;
import io.edgefleet.controlplane.rollouts.RolloutStateMachine.GroupVerdict;
import io.edgefleet.controlplane.rollouts.gates.GateConfig;
import io.edgefleet.controlplane.rollouts.gates.GateEvaluator;
import io.edgefleet.controlplane.rollouts.gates.GateInput;
import io.edgefleet.controlplane.rollouts.gates.GateResult;
import io.edgefleet.controlplane.telemetry.LatencyHistograms;
import io.edgefleet.controlplane.telemetry.TelemetryBatch;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.DeviceFeedback;
import io.edgefleet.schemas.events.QuantizationPlan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.hibernate.FlushMode;
import org.hibernate.jpa.AvailableHints;
import org.HdrHistogram.Histogram;
import org.jboss.logging.Logger;

/**
 * Staged rollouts: resolve the target devices and split them into groups (canary first), plan and build per hardware
 * class, assign the devices of started groups as their class's build completes, track device feedback, evaluate
 * each started group's thresholds and SLO gates (on feedback, telemetry, registration and a periodic tick) and act
 * on breaches (pause, or roll back to every device's previous build). The rules live in {@link RolloutStateMachine}
 * and {@link GateEvaluator}; every mutation holds a row lock on the rollout so consumers, the scheduler and
 * operator verbs never interleave on one rollout.
 */
@ApplicationScoped
public class RolloutService {
  private static final Logger LOG = Logger.getLogger(RolloutService.class);
  static final long DEFAULT_MIN_SAMPLES = 100;

  private final DeviceService devices;
  private final ModelService models;
  private final BuildService builds;
  private final ProfilePicker profiles;
  private final AssignmentService assignments;
  private final AnalysisService analyses;
  private final DeviceLatencyCalibrator latencyTables;
  private final Clock clock = Clock.systemUTC();

  public RolloutService(DeviceService devices, ModelService models, BuildService builds, ProfilePicker profiles,
      AssignmentService assignments, AnalysisService analyses, DeviceLatencyCalibrator latencyTables) {
    this.devices = devices;
    this.models = models;
    this.builds = builds;
    this.profiles = profiles;
    this.assignments = assignments;
    this.analyses = analyses;
    this.latencyTables = latencyTables;
  }

  // ------------------------------------------------------------------------------------------------ creation

  @Transactional
  public Rollout create(CreateRolloutRequest request) {
    Model model = models.require(request.modelId());
    AnalysisData analysis = analyses.requireReady(model);
    DeviceFilter filter = request.deviceFilter() == null ? DeviceFilter.all() : request.deviceFilter();
    List<GroupSpec> specs = request.groups() == null || request.groups().isEmpty() ? List.of(GroupSpec.all())
        : request.groups();
    validateGroups(specs);
    if (request.startAt() != null && Boolean.FALSE.equals(request.autoStart())) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST,
          "give either startAt (a scheduled start) or autoStart=false (start by the operator), not both");
    }
    List<Device> targets = devices.find(filter);
    if (targets.isEmpty()) {
      throw new ControlPlaneException(ErrorCode.NO_MATCHING_DEVICES, "no registered device matches " + filter);
    }
    // plan every hardware class first: an infeasible class fails the creation before anything is stored or published
    Slo slo = new Slo(request.maxAccuracyDrop(),
        request.gates() == null ? null : request.gates().maxP95LatencyMicros());
    Map<String, PlanDecision> decisions = new TreeMap<>();
    for (Map.Entry<String, List<HardwareProfile>> c : hardwareByClass(targets).entrySet()) {
      // the class's latency table: the worker host's, in the class's device time once its devices profiled the model
      decisions.put(c.getKey(), profiles.pick(c.getKey(), c.getValue(), latencyTables.forClass(c.getKey(), analysis),
          slo));
    }
    Instant now = clock.instant();
    Rollout r = new Rollout();
    r.id = UUID.randomUUID().toString();
    r.name = request.name();
    r.modelId = model.id;
    r.filterHardwareClass = filter.hardwareClass();
    r.filterQuery = filter.query();
    r.filterJson = json(filter);
    r.maxAccuracyDrop = request.maxAccuracyDrop();
    r.status = RolloutStatus.CREATED;
    r.dynamic = request.dynamic() == null || request.dynamic();
    r.breachAction = request.onBreach() == null ? BreachAction.PAUSE : request.onBreach();
    CreateRolloutRequest.Gates gates = request.gates();
    r.gateMaxAccuracyDrop = gates == null ? null : gates.maxAccuracyDrop();
    r.gateMaxP95Micros = gates == null ? null : gates.maxP95LatencyMicros();
    r.gateMaxFailureRate = gates == null ? null : gates.maxFailureRate();
    r.gateMinSamples = gates == null || gates.minSamples() == null ? DEFAULT_MIN_SAMPLES : gates.minSamples();
    r.currentGroup = 0;
    r.startAt = request.startAt();
    r.createdAt = now;
    r.updatedAt = now;
    r.persist();

    int[] sizes = RolloutStateMachine.groupSizes(specs, targets.size());
    for (int i = 0; i < specs.size(); i++) {
      GroupSpec s = specs.get(i);
      RolloutGroup g = new RolloutGroup();
      g.rolloutId = r.id;
      g.groupIndex = i;
      g.name = s.name() == null || s.name().isBlank() ? (i == 0 && specs.size() > 1 ? "canary" : "group-" + (i + 1))
          : s.name();
      g.sizePercent = s.percent();
      g.sizeCount = s.count();
      g.successThreshold = s.successOrDefault();
      g.errorThreshold = s.errorOrDefault();
      g.status = GroupStatus.PENDING;
      g.persist();
    }
    record(r, RolloutAction.CREATE, RolloutStatus.CREATED, null,
        targets.size() + " devices in " + specs.size() + " group(s) " + java.util.Arrays.toString(sizes));

    Map<String, Build> buildByClass = new HashMap<>();
    for (PlanDecision decision : decisions.values()) {
      buildByClass.put(decision.hardwareClass(), buildFor(r, model, decision));
    }
    int group = 0;
    int inGroup = 0;
    for (Device d : targets) {
      while (group < sizes.length - 1 && inGroup >= sizes[group]) {
        group++;
        inGroup = 0;
      }
      enrol(r, d, group, buildByClass.get(d.hardwareClass), false);
      inGroup++;
    }
    if (request.startAt() != null && request.startAt().isAfter(now)) {
      r.statusReason = "scheduled to start at " + request.startAt();
    } else if (request.autoStart() == null || request.autoStart()) {
      start(r, request.startAt() == null ? "started on creation" : "scheduled start at " + request.startAt());
    }
    return r;
  }

  private static void validateGroups(List<GroupSpec> specs) {
    for (int i = 0; i < specs.size(); i++) {
      GroupSpec g = specs.get(i);
      boolean last = i == specs.size() - 1;
      if (g.percent() != null && g.count() != null) {
        throw new ControlPlaneException(ErrorCode.INVALID_ROLLOUT_GROUPS,
            "group " + (i + 1) + " gives both percent and count; give one");
      }
      if (!last && g.percent() == null && g.count() == null) {
        throw new ControlPlaneException(ErrorCode.INVALID_ROLLOUT_GROUPS,
            "group " + (i + 1) + " needs percent or count (only the last group may take the rest implicitly)");
      }
    }
  }

  /** Hardware of the devices, per hardware class (classes and devices in id order). */
  private static Map<String, List<HardwareProfile>> hardwareByClass(List<Device> targets) {
    Map<String, List<HardwareProfile>> byClass = new TreeMap<>();
    for (Device d : targets) {
      byClass.computeIfAbsent(d.hardwareClass, k -> new ArrayList<>()).add(DeviceService.hardware(d));
    }
    return byClass;
  }

  /** The build of a class's plan (requested if new) and the rollout's record of the plan and its explanation. */
  private Build buildFor(Rollout r, Model model, PlanDecision decision) {
    QuantizationPlan plan = decision.plan();
    Build build = builds.ensureBuild(model, plan, decision.explanation());
    RolloutClassPlan cp = new RolloutClassPlan();
    cp.rolloutId = r.id;
    cp.hardwareClass = decision.hardwareClass();
    cp.buildKey = build.buildKey;
    cp.planHash = plan.planHash();
    cp.mode = plan.mode();
    cp.explanationJson = BuildService.json(decision.explanation());
    cp.plannedAt = clock.instant();
    cp.persist();
    LOG.infof("rollout %s: class %s -> %s, build %s [%s]: %s", r.id, decision.hardwareClass(), plan.mode(),
        build.buildKey, build.status, plan.rationale());
    return build;
  }

  /** Adds a device to group {@code group}; a device of a started group of a running rollout is assigned. */
  private RolloutDevice enrol(Rollout r, Device d, int group, Build build, boolean groupStarted) {
    String mode;
    mode = build.mode == null ? "UNKNOWN" : build.mode;
    RolloutDevice t = new RolloutDevice();
    t.rolloutId = r.id;
    t.deviceId = d.id;
    t.hardwareClass = d.hardwareClass;
    t.buildKey = build.buildKey;
    t.planMode = mode;
    t.groupIndex = group;
    t.status = groupStarted ? DeviceRolloutStatus.WAITING_FOR_BUILD : DeviceRolloutStatus.PENDING;
    t.updatedAt = clock.instant();
    t.persist();
    if (groupStarted) {
      dispatch(r, t, build);
    }
    return t;
  }

  /** Assigns (running rollout, completed build) or fails (failed build) a device waiting for its build. */
  private void dispatch(Rollout r, RolloutDevice t, Build build) {
    if (t.status != DeviceRolloutStatus.WAITING_FOR_BUILD) {
      return;
    }
    if (build.status == BuildStatus.FAILED) {
      fail(t, build);
    } else if (build.status == BuildStatus.COMPLETED && r.status == RolloutStatus.RUNNING) {
      assign(r, t, build);
    }
  }

  // --------------------------------------------------------------------------------------------- event input

  /** Assigns every device waiting for {@code build} in running rollouts; returns the rollouts touched. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Set<String> onBuildCompleted(Build build) {
    Set<String> touched = waitingRollouts(build);
    for (String id : touched) {
      Rollout r = lock(id);
      for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId = ?1 and buildKey = ?2 and status = ?3",
          id, build.buildKey, DeviceRolloutStatus.WAITING_FOR_BUILD)) {
        dispatch(r, t, build);
      }
    }
    return touched;
  }

  /** Fails every device waiting for {@code build}; returns the rollouts touched. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Set<String> onBuildFailed(Build build) {
    Set<String> touched = waitingRollouts(build);
    for (String id : touched) {
      Rollout r = lock(id);
      for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId = ?1 and buildKey = ?2 and status = ?3",
          id, build.buildKey, DeviceRolloutStatus.WAITING_FOR_BUILD)) {
        dispatch(r, t, build);
      }
    }
    return touched;
  }

  private static Set<String> waitingRollouts(Build build) {
    Set<String> ids = new TreeSet<>();
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("buildKey = ?1 and status = ?2", build.buildKey,
        DeviceRolloutStatus.WAITING_FOR_BUILD)) {
      ids.add(t.rolloutId);
    }
    return ids;
  }

  /** Applies device feedback to the device's entry in the rollout it is about; returns that rollout, or null. */
  @Transactional(Transactional.TxType.MANDATORY)
  public String onFeedback(DeviceFeedback f) {
    RolloutDevice t = f.rolloutId() != null
        ? RolloutDevice.findById(new RolloutDevice.Key(f.rolloutId(), f.deviceId()))
        : RolloutDevice.find("deviceId = ?1 and buildKey = ?2 order by updatedAt desc", f.deviceId(), f.buildKey())
            .firstResult();
    if (t == null || !f.buildKey().equals(t.buildKey)) {
      LOG.debugf("feedback of %s about %s matches no rollout entry; recorded nowhere", f.deviceId(), f.buildKey());
      return null;
    }
    lock(t.rolloutId);
    RolloutDevice.getEntityManager().refresh(t);
    DeviceRolloutStatus next = RolloutStateMachine.onFeedback(t.status, f.status());
    if (next != t.status) {
      t.status = next;
      t.reason = f.reason();
      t.updatedAt = f.at();
    }
    return t.rolloutId;
  }

  // ---------------------------------------------------------------------------------------------- evaluation

  /** Ids of CREATED rollouts whose scheduled start time has come. */
  public List<String> dueIds() {
    return Rollout.<Rollout>list("status = ?1 and startAt is not null and startAt <= ?2", RolloutStatus.CREATED,
        clock.instant()).stream().map(r -> r.id).sorted().toList();
  }

  /** Starts a scheduled rollout if it is still CREATED and due (the operator may have started or stopped it). */
  @Transactional
  public void startIfDue(String rolloutId) {
    Rollout r = lock(rolloutId);
    if (r.status == RolloutStatus.CREATED && r.startAt != null && !r.startAt.isAfter(clock.instant())) {
      start(r, "scheduled start at " + r.startAt);
    }
  }

  /** Ids of rollouts that are running or paused (the ones the periodic evaluation looks at). */
  public List<String> activeIds() {
    return Rollout.<Rollout>list("status in ?1", List.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED)).stream()
        .map(r -> r.id).sorted().toList();
  }

  /** Ids of running or paused rollouts that enrol matching devices as they register. */
  List<String> activeDynamicIds() {
    return QuarkusTransaction.requiringNew().call(() -> Rollout.<Rollout>list("status in ?1 and dynamic = true",
        List.of(RolloutStatus.RUNNING, RolloutStatus.PAUSED)).stream().map(r -> r.id).sorted().toList());
  }

  /**
   * Evaluates each rollout in its own transaction; a failure of one (e.g. the broker is down while assigning) is
   * logged and retried by the next periodic evaluation, never propagated to the event or request that triggered it.
   */
  public void evaluateQuietly(Collection<String> rolloutIds) {
    for (String id : rolloutIds) {
      try {
        QuarkusTransaction.requiringNew().run(() -> evaluate(id));
      } catch (RuntimeException e) {
        LOG.warnf(e, "evaluation of rollout %s failed; the periodic evaluation retries it", id);
      }
    }
  }

  /** Locks and evaluates one rollout (joins late devices, decides groups, acts on breaches, advances groups). */
  @Transactional
  public void evaluate(String rolloutId) {
    evaluate(lock(rolloutId));
  }

  private void evaluate(Rollout r) {
    if (r.status != RolloutStatus.RUNNING && r.status != RolloutStatus.PAUSED) {
      return;
    }
    if (r.dynamic) {
      joinLateDevices(r);
    }
    List<RolloutGroup> groups = groups(r);
    for (int round = 0; round <= groups.size(); round++) {
      boolean advanced = false;
      for (RolloutGroup g : groups) {
        if (g.status != GroupStatus.RUNNING && g.status != GroupStatus.COMPLETED) {
          continue;
        }
        List<RolloutDevice> members = members(r, g.groupIndex);
        RolloutProgress p = RolloutStateMachine.progress(members.stream().map(t -> t.status).toList());
        GroupDecision d = RolloutStateMachine.decideGroup(p, g.successThreshold, g.errorThreshold,
            gates(r, g, members));
        if (d.verdict() == GroupVerdict.BREACHED) {
          String reason = "group " + g.name + ": " + d.reason();
          if (r.breachAction == BreachAction.ROLLBACK) {
            rollback(r, g.groupIndex, reason);
          } else if (r.status == RolloutStatus.RUNNING) {
            transition(r, RolloutAction.BREACH_PAUSE, g.groupIndex, reason);
          }
          return;
        }
        if (g.status == GroupStatus.RUNNING && d.verdict() == GroupVerdict.COMPLETE
            && r.status == RolloutStatus.RUNNING) {
          g.status = GroupStatus.COMPLETED;
          g.completedAt = clock.instant();
          transition(r, RolloutAction.GROUP_COMPLETED, g.groupIndex, "group " + g.name + " complete: " + d.reason());
          if (g.groupIndex + 1 >= groups.size()) {
            transition(r, RolloutAction.FINISH, g.groupIndex, "last group complete");
            return;
          }
          startGroup(r, groups.get(g.groupIndex + 1));
          advanced = true;
        }
      }
      if (!advanced) {
        return;
      }
    }
  }

  private List<GateResult> gates(Rollout r, RolloutGroup g, List<RolloutDevice> members) {
    GateConfig config = r.gates();
    if (!config.any()) {
      return List.of();
    }
    // telemetry comes from devices running the build: gate each build that has running devices in the group
    Map<String, List<String>> runningByBuild = new TreeMap<>();
    for (RolloutDevice t : members) {
      if (t.status == DeviceRolloutStatus.RUNNING) {
        runningByBuild.computeIfAbsent(t.buildKey, k -> new ArrayList<>()).add(t.deviceId);
      }
    }
    List<GateResult> results = new ArrayList<>();
    Instant now = clock.instant();
    for (Map.Entry<String, List<String>> e : runningByBuild.entrySet()) {
      GateInput input = gateInput(r, g, e.getKey(), e.getValue());
      for (GateResult res : GateEvaluator.evaluate(config, input)) {
        results.add(res);
        GateEvaluation row = GateEvaluation.findById(
            new GateEvaluation.Key(r.id, g.groupIndex, res.buildKey(), res.gate()));
        boolean created = row == null;
        if (created) {
          row = new GateEvaluation();
          row.rolloutId = r.id;
          row.groupIndex = g.groupIndex;
          row.buildKey = res.buildKey();
          row.gate = res.gate();
        }
        row.value = res.value();
        row.threshold = res.threshold();
        row.samples = res.samples();
        row.minSamples = res.minSamples();
        row.verdict = res.verdict();
        row.evaluatedAt = now;
        if (created) {
          row.persist();
        }
      }
    }
    return results;
  }

  /**
   * Telemetry totals of the group's devices on one build: batches tagged with this rollout, or untagged batches
   * whose window ended after the group started.
   */
  private static GateInput gateInput(Rollout r, RolloutGroup g, String buildKey, List<String> deviceIds) {
    Instant since = g.startedAt == null ? r.createdAt : g.startedAt;
    List<TelemetryBatch> batches = TelemetryBatch.list(
        "buildKey = ?1 and deviceId in ?2 and (rolloutId = ?3 or (rolloutId is null and windowEnd >= ?4))",
        buildKey, deviceIds, r.id, since);
    long inferences = 0;
    long errors = 0;
    long reference = 0;
    long agreement = 0;
    Histogram merged = LatencyHistograms.empty();
    boolean anyHistogram = false;
    for (TelemetryBatch b : batches) {
      inferences += b.inferenceCount;
      errors += b.errorCount;
      reference += b.referenceCount;
      agreement += b.agreementCount;
      if (b.histogram != null) {
        merged.add(LatencyHistograms.decode(b.histogram));
        anyHistogram = true;
      }
    }
    Double p95 = anyHistogram && merged.getTotalCount() > 0 ? (double) merged.getValueAtPercentile(95) : null;
    return new GateInput(buildKey, inferences, errors, reference, agreement, p95);
  }

  private void joinLateDevices(Rollout r) {
    List<Device> late = devices.findNotInRollout(read(r.filterJson), r.id);
    if (late.isEmpty()) {
      return;
    }
    Model model = models.require(r.modelId);
    RolloutGroup current = RolloutGroup.findById(new RolloutGroup.Key(r.id, r.currentGroup));
    boolean started = current != null && current.status == GroupStatus.RUNNING;
    Map<String, Build> buildByClass = new HashMap<>();
    for (RolloutClassPlan cp : RolloutClassPlan.<RolloutClassPlan>list("rolloutId", r.id)) {
      buildByClass.put(cp.hardwareClass, Build.findById(cp.buildKey));
    }
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId", r.id)) {
      buildByClass.computeIfAbsent(t.hardwareClass, k -> Build.findById(t.buildKey));
    }
    List<Device> joining = new ArrayList<>();
    Map<String, List<Device>> newClasses = new TreeMap<>();
    for (Device d : late) {
      if (buildByClass.containsKey(d.hardwareClass)) {
        joining.add(d);
      } else {
        newClasses.computeIfAbsent(d.hardwareClass, k -> new ArrayList<>()).add(d);
      }
    }
    for (Map.Entry<String, List<Device>> c : newClasses.entrySet()) {
      // a class the rollout has no plan for yet: plan it now, under the rollout's SLOs
      PlanDecision decision;
      try {
        decision = profiles.pick(c.getKey(), c.getValue().stream().map(DeviceService::hardware).toList(),
            latencyTables.forClass(c.getKey(), analyses.requireReady(model)),
            new Slo(r.maxAccuracyDrop, r.gateMaxP95Micros));
      } catch (ControlPlaneException e) {
        // not enrolled: the devices stay outside the rollout (and are retried on every evaluation) until the
        // class can be planned; the reason is logged, the rest of the rollout carries on
        LOG.warnf("rollout %s: %d late device(s) of class %s not enrolled: %s %s", r.id, c.getValue().size(),
            c.getKey(), e.code().key(), e.getMessage());
        continue;
      }
      buildByClass.put(c.getKey(), buildFor(r, model, decision));
      joining.addAll(c.getValue());
    }
    for (Device d : joining) {
      enrol(r, d, r.currentGroup, buildByClass.get(d.hardwareClass), started);
      LOG.infof("rollout %s: late device %s joined group %d", r.id, d.id, r.currentGroup);
    }
  }

  private void startGroup(Rollout r, RolloutGroup g) {
    g.status = GroupStatus.RUNNING;
    g.startedAt = clock.instant();
    r.currentGroup = g.groupIndex;
    for (RolloutDevice t : members(r, g.groupIndex)) {
      if (t.status == DeviceRolloutStatus.PENDING) {
        t.status = DeviceRolloutStatus.WAITING_FOR_BUILD;
        t.updatedAt = clock.instant();
        dispatch(r, t, Build.findById(t.buildKey));
      }
    }
  }

  // ----------------------------------------------------------------------------------------- operator verbs

  @Transactional
  public Rollout start(String id, String reason) {
    Rollout r = lock(id);
    start(r, reason == null ? "started by the operator" : reason);
    return r;
  }

  private void start(Rollout r, String reason) {
    transition(r, RolloutAction.START, 0, reason);
    startGroup(r, RolloutGroup.findById(new RolloutGroup.Key(r.id, 0)));
    evaluate(r);
  }

  @Transactional
  public Rollout pause(String id, String reason) {
    Rollout r = lock(id);
    transition(r, RolloutAction.PAUSE, r.currentGroup, reason == null ? "paused by the operator" : reason);
    return r;
  }

  /** Resumes: devices of started groups held while paused are assigned, then the rollout is re-evaluated. */
  @Transactional
  public Rollout resume(String id, String reason) {
    Rollout r = lock(id);
    transition(r, RolloutAction.RESUME, r.currentGroup, reason == null ? "resumed by the operator" : reason);
    assignHeld(r);
    evaluate(r);
    return r;
  }

  /** Cancels: devices not assigned yet are CANCELLED; assigned devices keep their build. */
  @Transactional
  public Rollout stop(String id, String reason) {
    Rollout r = lock(id);
    String why = reason == null ? "stopped by the operator" : reason;
    transition(r, RolloutAction.STOP, r.currentGroup, why);
    cancelUnassigned(r, why);
    return r;
  }

  /** Completes the current group regardless of its thresholds and gates, and starts the next one. */
  @Transactional
  public Rollout nextGroup(String id, String reason) {
    Rollout r = lock(id);
    RolloutGroup next = RolloutGroup.findById(new RolloutGroup.Key(r.id, r.currentGroup + 1));
    if (next == null || next.status != GroupStatus.PENDING) {
      throw new ControlPlaneException(ErrorCode.ROLLOUT_INVALID_TRANSITION,
          "rollout " + r.id + " has no pending group after group " + (r.currentGroup + 1));
    }
    RolloutGroup current = RolloutGroup.findById(new RolloutGroup.Key(r.id, r.currentGroup));
    transition(r, RolloutAction.NEXT_GROUP, next.groupIndex,
        (reason == null ? "operator started the next group" : reason) + " (group " + current.name + " was "
            + current.status + ")");
    if (current.status == GroupStatus.RUNNING) {
      current.status = GroupStatus.COMPLETED;
      current.completedAt = clock.instant();
    }
    startGroup(r, next);
    evaluate(r);
    return r;
  }

  /** Re-assigns the FAILED devices of started groups whose build is available (new desired-state revision). */
  @Transactional
  public Rollout retryFailed(String id, String reason) {
    Rollout r = lock(id);
    RolloutStatus before = r.status;
    RolloutStateMachine.transition(before, RolloutAction.RETRY_FAILED);
    int retried = 0;
    int skipped = 0;
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId = ?1 and status = ?2", r.id,
        DeviceRolloutStatus.FAILED)) {
      Build b = Build.findById(t.buildKey);
      if (b == null || b.status != BuildStatus.COMPLETED) {
        skipped++;
        continue;
      }
      t.status = DeviceRolloutStatus.WAITING_FOR_BUILD;
      t.reason = "retry requested";
      t.updatedAt = clock.instant();
      dispatch(r, t, b);
      retried++;
    }
    transition(r, RolloutAction.RETRY_FAILED, r.currentGroup, (reason == null ? "operator retried failed devices"
        : reason) + ": " + retried + " retried, " + skipped + " without a completed build");
    evaluate(r);
    return r;
  }

  private void assignHeld(Rollout r) {
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId = ?1 and status = ?2", r.id,
        DeviceRolloutStatus.WAITING_FOR_BUILD)) {
      dispatch(r, t, Build.findById(t.buildKey));
    }
  }

  private void cancelUnassigned(Rollout r, String why) {
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId", r.id)) {
      if (t.status == DeviceRolloutStatus.PENDING || t.status == DeviceRolloutStatus.WAITING_FOR_BUILD) {
        t.status = DeviceRolloutStatus.CANCELLED;
        t.reason = why;
        t.updatedAt = clock.instant();
      }
    }
    for (RolloutGroup g : groups(r)) {
      if (g.status == GroupStatus.PENDING || g.status == GroupStatus.RUNNING) {
        g.status = GroupStatus.CANCELLED;
        g.completedAt = clock.instant();
      }
    }
  }

  /**
   * Ends the rollout as ROLLED_BACK: every device whose desired state is still this rollout's build gets its
   * previous build back (or an empty assignment if it had none) through the desired-state mechanism; devices not
   * assigned yet are cancelled.
   */
  private void rollback(Rollout r, int groupIndex, String reason) {
    transition(r, RolloutAction.BREACH_ROLLBACK, groupIndex, reason);
    String why = "rolled back by the control plane: " + reason;
    for (RolloutDevice t : RolloutDevice.<RolloutDevice>list("rolloutId = ?1 order by deviceId", r.id)) {
      if (t.revision == null || t.status == DeviceRolloutStatus.SUPERSEDED || t.status.ordinal()
          < DeviceRolloutStatus.ASSIGNED.ordinal()) {
        continue;
      }
      DesiredStateRow row = DesiredStateRow.findById(t.deviceId);
      if (row != null && r.id.equals(row.rolloutId) && t.buildKey.equals(row.buildKey)) {
        Build previous = t.previousBuildKey == null ? null : Build.findById(t.previousBuildKey);
        if (previous != null && previous.status == BuildStatus.COMPLETED) {
          assignments.assign(t.deviceId, t.previousRolloutId, previous,
              t.previousMaxAccuracyDrop == null ? r.maxAccuracyDrop : t.previousMaxAccuracyDrop);
        } else {
          assignments.clear(t.deviceId, r.id, r.maxAccuracyDrop);
        }
      }
      if (t.status != DeviceRolloutStatus.FAILED && t.status != DeviceRolloutStatus.ROLLED_BACK) {
        t.status = DeviceRolloutStatus.ROLLED_BACK;
        t.reason = why;
        t.updatedAt = clock.instant();
      }
    }
    cancelUnassigned(r, why);
  }

  // --------------------------------------------------------------------------------------------- primitives

  private void transition(Rollout r, RolloutAction action, Integer groupIndex, String reason) {
    RolloutStatus from = r.status;
    RolloutStatus to = RolloutStateMachine.transition(from, action);
    r.status = to;
    r.updatedAt = clock.instant();
    if (to != from) {
      r.statusReason = reason;
      if (!to.isActive()) {
        r.finishedAt = r.updatedAt;
      }
      LOG.infof("rollout %s %s -> %s (%s): %s", r.id, from, to, action, reason);
    }
    record(r, action, from, groupIndex, reason);
  }

  private void record(Rollout r, RolloutAction action, RolloutStatus from, Integer groupIndex, String reason) {
    RolloutTransition h = new RolloutTransition();
    h.rolloutId = r.id;
    h.at = clock.instant();
    h.action = action;
    h.fromStatus = from;
    h.toStatus = r.status;
    h.groupIndex = groupIndex;
    h.reason = reason;
    h.persist();
  }

  private void assign(Rollout r, RolloutDevice t, Build build) {
    // no auto-flush before this per-device query: flushing dirty-checks every entity of the session, which made
    // assigning N devices in one transaction O(N²). Safe: the rows it selects (other rollouts' entries for this
    // device) are never created earlier in the same transaction, and loaded ones come back in their current state.
    for (RolloutDevice older : RolloutDevice.<RolloutDevice>find("deviceId = ?1 and rolloutId <> ?2", t.deviceId,
        r.id).withHint(AvailableHints.HINT_FLUSH_MODE, FlushMode.COMMIT).list()) {
      DeviceRolloutStatus s = RolloutStateMachine.onSuperseded(older.status);
      if (s != older.status) {
        older.status = s;
        older.reason = "superseded by rollout " + r.id;
        older.updatedAt = clock.instant();
      }
    }
    if (!t.hadPrevious) {
      DesiredStateRow before = DesiredStateRow.findById(t.deviceId);
      t.hadPrevious = true;
      t.previousRolloutId = before == null ? null : before.rolloutId;
      t.previousBuildKey = before == null ? null : before.buildKey;
      t.previousMaxAccuracyDrop = before == null ? null : before.maxAccuracyDrop;
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

  private static Rollout lock(String id) {
    Rollout r = Rollout.findById(id, LockModeType.PESSIMISTIC_WRITE);
    if (r == null) {
      throw ControlPlaneException.notFound(ErrorCode.ROLLOUT_NOT_FOUND, "rollout", id);
    }
    return r;
  }

  private static List<RolloutGroup> groups(Rollout r) {
    return RolloutGroup.list("rolloutId = ?1 order by groupIndex", r.id);
  }

  private static List<RolloutDevice> members(Rollout r, int groupIndex) {
    return RolloutDevice.list("rolloutId = ?1 and groupIndex = ?2 order by deviceId", r.id, groupIndex);
  }

  // ---------------------------------------------------------------------------------------------- queries

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
    Map<String, RolloutClassPlan> plans = new TreeMap<>();
    for (RolloutClassPlan cp : RolloutClassPlan.<RolloutClassPlan>list("rolloutId", r.id)) {
      plans.put(cp.hardwareClass, cp);
    }
    Map<String, RolloutView.ClassPlan> classes = new TreeMap<>();
    for (RolloutDevice t : targets) {
      RolloutClassPlan cp = plans.get(t.hardwareClass);
      classes.merge(t.hardwareClass, new RolloutView.ClassPlan(t.hardwareClass, t.planMode, t.buildKey, 1,
          cp == null ? null : cp.planHash,
          cp == null ? null : BuildService.read(cp.explanationJson, PlanExplanation.class)),
          (a, b) -> new RolloutView.ClassPlan(a.hardwareClass(), a.mode(), a.buildKey(), a.devices() + 1,
              a.planHash(), a.explanation()));
    }
    List<RolloutView.DeviceEntry> entries = targets.stream().map(t -> new RolloutView.DeviceEntry(t.deviceId,
        t.hardwareClass, t.buildKey, t.groupIndex, t.status, t.reason, t.revision, t.updatedAt)).toList();
    Map<Integer, List<GateEvaluation>> gatesByGroup = new LinkedHashMap<>();
    for (GateEvaluation e : GateEvaluation.<GateEvaluation>list(
        "rolloutId = ?1 order by groupIndex, buildKey, gate", r.id)) {
      gatesByGroup.computeIfAbsent(e.groupIndex, k -> new ArrayList<>()).add(e);
    }
    List<RolloutView.GroupEntry> groupViews = new ArrayList<>();
    for (RolloutGroup g : groups(r)) {
      List<RolloutDevice> members = targets.stream().filter(t -> t.groupIndex == g.groupIndex).toList();
      RolloutProgress gp = RolloutStateMachine.progress(members.stream().map(t -> t.status).toList());
      groupViews.add(new RolloutView.GroupEntry(g.groupIndex, g.name, g.status, g.sizePercent, g.sizeCount,
          g.successThreshold, g.errorThreshold, g.startedAt, g.completedAt, gp.total(), gp.succeeded(), gp.failed(),
          gp.counts(), members.stream().map(t -> t.deviceId).toList(),
          gatesByGroup.getOrDefault(g.groupIndex, List.of()).stream().map(e -> new RolloutView.GateEntry(e.gate,
              e.buildKey, e.value, e.threshold, e.samples, e.minSamples, e.verdict, e.evaluatedAt)).toList()));
    }
    List<RolloutView.TransitionEntry> history = RolloutTransition.<RolloutTransition>list(
        "rolloutId = ?1 order by id", r.id).stream().map(h -> new RolloutView.TransitionEntry(h.at, h.action,
            h.fromStatus, h.toStatus, h.groupIndex, h.reason)).toList();
    GateConfig gc = r.gates();
    RolloutView.GatesConfig gates = gc.any() ? new RolloutView.GatesConfig(gc.maxAccuracyDrop(),
        gc.maxP95LatencyMicros(), gc.maxFailureRate(), gc.minSamples()) : null;
    return new RolloutView(r.id, r.name, r.modelId, read(r.filterJson), r.maxAccuracyDrop, r.status,
        r.statusReason, r.createdAt, r.startAt, r.updatedAt, r.finishedAt, p.counts(), p.total(), p.succeeded(), p.failed(),
        List.copyOf(classes.values()), entries, r.currentGroup, r.breachAction, r.dynamic, gates, groupViews,
        history);
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
