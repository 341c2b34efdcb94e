package io.edgefleet.fleetctl.rollouts;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.Fleetctl.DurationConverter;
import io.edgefleet.fleetctl.FleetCommand;
import io.edgefleet.fleetctl.FleetctlException;
import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import io.edgefleet.fleetctl.Values;
import io.edgefleet.fleetctl.client.FleetClient;
import io.edgefleet.fleetctl.devices.DevicesCommand;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl rollouts …}: staged rollouts. */
@Command(name = "rollouts", description = "Create, watch and steer staged rollouts.", mixinStandardHelpOptions = true,
    subcommands = {RolloutsCommand.Create.class, RolloutsCommand.ListRollouts.class, RolloutsCommand.Get.class,
        RolloutsCommand.Watch.class, RolloutsCommand.Start.class, RolloutsCommand.Pause.class,
        RolloutsCommand.Resume.class, RolloutsCommand.Stop.class, RolloutsCommand.NextGroup.class,
        RolloutsCommand.RetryFailed.class})
public final class RolloutsCommand {

  @Command(name = "create", description = "Create a rollout of a model version to the devices a filter selects.")
  public static final class Create extends FleetCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--model", required = true, paramLabel = "MODEL_ID")
    String modelId;

    @Option(names = {"-q", "--query"}, paramLabel = "RSQL", description = "Device query (see devices list -q).")
    String query;

    @Option(names = "--hardware-class", paramLabel = "CLASS")
    String hardwareClass;

    @Option(names = "--tag", paramLabel = "TAG")
    String tag;

    @Option(names = "--max-accuracy-drop", defaultValue = "0.02", paramLabel = "FRACTION",
        description = "Accuracy SLO the plans must meet, e.g. 0.02 or 2% (default: ${DEFAULT-VALUE}).")
    String maxAccuracyDrop;

    @Option(names = "--groups", paramLabel = "GROUPS",
        description = "Groups in order, counts or cumulative percentages: e.g. canary:1,25%,100% (default: one group).")
    String groups;

    @Option(names = "--success-threshold", paramLabel = "FRACTION",
        description = "Share of a group that must succeed before the next group starts (default: all).")
    String successThreshold;

    @Option(names = "--error-threshold", paramLabel = "FRACTION",
        description = "Share of a group failing that triggers the breach action.")
    String errorThreshold;

    @Option(names = "--gate-accuracy-drop", paramLabel = "FRACTION", description = "Telemetry gate: max on-device drop.")
    String gateAccuracyDrop;

    @Option(names = "--gate-p95", paramLabel = "TIME", description = "Telemetry gate: max on-device p95, e.g. 2ms.")
    String gateP95;

    @Option(names = "--gate-failure-rate", paramLabel = "FRACTION", description = "Telemetry gate: max failure rate.")
    String gateFailureRate;

    @Option(names = "--gate-min-samples", paramLabel = "N", description = "Inferences needed before a gate judges.")
    Long gateMinSamples;

    @Option(names = "--on-breach", paramLabel = "ACTION", description = "pause or rollback.")
    String onBreach;

    @Option(names = "--dynamic", description = "Devices that match the filter later join the rollout.")
    boolean dynamic;

    @Option(names = "--start", description = "Start the rollout right away.")
    boolean start;

    @Override
    protected void execute() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("modelId", modelId);
      Map<String, Object> filter = new LinkedHashMap<>();
      filter.put("hardwareClass", hardwareClass);
      filter.put("tag", tag);
      filter.put("query", query);
      body.put("deviceFilter", filter);
      body.put("maxAccuracyDrop", Values.fraction(maxAccuracyDrop));
      Double success = successThreshold == null ? null : Values.fraction(successThreshold);
      Double error = errorThreshold == null ? null : Values.fraction(errorThreshold);
      if (groups != null) {
        body.put("groups", GroupsSpec.parse(groups, success, error));
      } else if (success != null || error != null) {
        body.put("groups", GroupsSpec.parse("all:100%", success, error));
      }
      if (gateAccuracyDrop != null || gateP95 != null || gateFailureRate != null || gateMinSamples != null) {
        Map<String, Object> gates = new LinkedHashMap<>();
        gates.put("maxAccuracyDrop", gateAccuracyDrop == null ? null : Values.fraction(gateAccuracyDrop));
        gates.put("maxP95LatencyMicros", gateP95 == null ? null : Values.micros(gateP95));
        gates.put("maxFailureRate", gateFailureRate == null ? null : Values.fraction(gateFailureRate));
        gates.put("minSamples", gateMinSamples);
        body.put("gates", gates);
      }
      if (onBreach != null) {
        String action = onBreach.trim().toUpperCase(Locale.ROOT);
        if (!action.equals("PAUSE") && !action.equals("ROLLBACK")) {
          throw new FleetctlException(ErrorCode.INVALID_ARGUMENT, "--on-breach must be pause or rollback, was " + onBreach);
        }
        body.put("onBreach", action);
      }
      body.put("dynamic", dynamic);
      body.put("autoStart", start);
      JsonNode r = client().post("/api/rollouts", body);
      print(r, () -> RolloutText.summary(r));
    }
  }

  @Command(name = "list", description = "List rollouts.")
  public static final class ListRollouts extends FleetCommand {
    @Override
    protected void execute() {
      JsonNode rollouts = client().get("/api/rollouts");
      print(rollouts, () -> {
        Table t = new Table("ID", "NAME", "MODEL", "STATUS", "GROUP", "DEVICES", "SUCCEEDED", "FAILED", "UPDATED");
        for (JsonNode r : rollouts) {
          t.row(r.path("id").asText(), r.path("name").asText(), Format.text(r, "modelId"), Format.text(r, "status"),
              (r.path("currentGroup").asInt() + 1) + "/" + r.path("groups").size(), r.path("total").asInt(),
              r.path("succeeded").asInt(), r.path("failed").asInt(), Format.text(r, "updatedAt"));
        }
        return t.render();
      });
    }
  }

  @Command(name = "get", description = "Show a rollout: classes and their builds, groups, gates, history.")
  public static final class Get extends FleetCommand {
    @Parameters(index = "0", paramLabel = "ROLLOUT_ID")
    String id;

    @Override
    protected void execute() {
      JsonNode r = client().get("/api/rollouts/" + id);
      print(r, () -> RolloutText.detail(r));
    }
  }

  @Command(name = "watch", description = "Follow a rollout until it finishes; exit 0 only when it FINISHED.")
  public static final class Watch extends FleetCommand {
    @Parameters(index = "0", paramLabel = "ROLLOUT_ID")
    String id;

    @Option(names = "--interval", defaultValue = "2s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "Poll interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--wait-timeout", defaultValue = "30m", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration waitTimeout;

    @Option(names = "--follow-pauses", description = "Keep watching while the rollout is PAUSED (default: stop).")
    boolean followPauses;

    @Override
    protected void execute() {
      JsonNode last = new RolloutWatcher(client(), interval, waitTimeout, followPauses).watch(id, out());
      if (root().format() == Format.JSON) {
        out().println(Format.json(last));
        out().flush();
      }
      String status = last.path("status").asText();
      if (!status.equals("FINISHED")) {
        throw new FleetctlException(ErrorCode.ROLLOUT_NOT_FINISHED, "rollout " + id + " is " + status
            + (last.hasNonNull("statusReason") ? ": " + last.path("statusReason").asText() : ""));
      }
    }
  }

  /** Shared shape of the verbs: {@code POST /api/rollouts/{id}/<verb>?reason=…}. */
  abstract static class Verb extends FleetCommand {
    @Parameters(index = "0", paramLabel = "ROLLOUT_ID")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Recorded in the rollout history.")
    String reason;

    abstract String verb();

    @Override
    protected void execute() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("reason", reason);
      JsonNode r = client().post("/api/rollouts/" + id + "/" + verb() + FleetClient.queryString(q), null);
      print(r, () -> RolloutText.summary(r));
    }
  }

  @Command(name = "start", description = "Start a CREATED rollout (its first group).")
  public static final class Start extends Verb {
    @Override
    String verb() {
      return "start";
    }
  }

  @Command(name = "pause", description = "Pause a running rollout: no new group starts, assignments stay.")
  public static final class Pause extends Verb {
    @Override
    String verb() {
      return "pause";
    }
  }

  @Command(name = "resume", description = "Resume a paused rollout.")
  public static final class Resume extends Verb {
    @Override
    String verb() {
      return "resume";
    }
  }

  @Command(name = "stop", description = "Stop a rollout for good: devices not yet assigned are cancelled.")
  public static final class Stop extends Verb {
    @Override
    String verb() {
      return "stop";
    }
  }

  @Command(name = "next-group", description = "Force the next group to start now.")
  public static final class NextGroup extends Verb {
    @Override
    String verb() {
      return "next-group";
    }
  }

  @Command(name = "retry-failed", description = "Assign the build again to the devices that failed.")
  public static final class RetryFailed extends Verb {
    @Override
    String verb() {
      return "retry-failed";
    }
  }

  static String shortKey(String key) {
    return DevicesCommand.shortKey(key);
  }
}
