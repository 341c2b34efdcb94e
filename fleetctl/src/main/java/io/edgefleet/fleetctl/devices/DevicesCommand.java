package io.edgefleet.fleetctl.devices;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.FleetCommand;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl devices …}: the fleet registry. */
@Command(name = "devices", description = "List and inspect registered devices.", mixinStandardHelpOptions = true,
    subcommands = {DevicesCommand.ListDevices.class, DevicesCommand.Get.class})
public final class DevicesCommand {

  @Command(name = "list", description = "List devices, filtered and paged.")
  public static final class ListDevices extends FleetCommand {
    @Option(names = {"-q", "--query"}, paramLabel = "RSQL",
        description = "Device query, e.g. \"hardwareClass==hc-…;tag==lab;ramMb=ge=2048\".")
    String query;

    @Option(names = "--hardware-class", paramLabel = "CLASS")
    String hardwareClass;

    @Option(names = "--tag", paramLabel = "TAG")
    String tag;

    @Option(names = "--page", defaultValue = "0", paramLabel = "N", description = "Page number, from 0.")
    int page;

    @Option(names = "--size", defaultValue = "50", paramLabel = "N", description = "Page size (default: ${DEFAULT-VALUE}).")
    int size;

    @Override
    protected void execute() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("q", query);
      q.put("hardwareClass", hardwareClass);
      q.put("tag", tag);
      q.put("page", page);
      q.put("size", size);
      JsonNode result = client().get("/api/devices", q);
      print(result, () -> {
        Table t = new Table("ID", "HARDWARE CLASS", "ARCH", "ACCELERATOR", "LAST SEEN", "BUILD", "ROLLOUT STATUS");
        for (JsonNode d : result.path("items")) {
          JsonNode hw = d.path("hardware");
          t.row(d.path("id").asText(), Format.text(d, "hardwareClass"), Format.text(hw, "arch"),
              Format.text(hw.path("accelerator"), "type"), Format.text(d, "lastSeenAt"),
              shortKey(Format.text(d, "currentBuildKey")), Format.text(d, "rolloutStatus"));
        }
        long total = result.path("total").asLong();
        return t.render() + "page " + result.path("page").asInt() + " · " + t.size() + " of " + total + " devices"
            + System.lineSeparator();
      });
    }
  }

  @Command(name = "get", description = "Show one device with its reported hardware.")
  public static final class Get extends FleetCommand {
    @Parameters(index = "0", paramLabel = "DEVICE_ID")
    String id;

    @Override
    protected void execute() {
      JsonNode d = client().get("/api/devices/" + id);
      print(d, () -> {
        JsonNode hw = d.path("hardware");
        Table t = new Table("FIELD", "VALUE");
        t.row("id", Format.text(d, "id"));
        t.row("name", Format.text(d, "name"));
        t.row("hardware class", Format.text(d, "hardwareClass"));
        t.row("cpu", Format.text(hw, "arch") + ", " + Format.text(hw, "cores") + " cores, " + Format.text(hw, "cpuModel"));
        t.row("cpu features", hw.path("cpuFeatures").toString());
        t.row("ram", Format.bytes(hw.path("ramBytes").asLong()));
        t.row("storage free", Format.bytes(hw.path("storageFreeBytes").asLong()));
        t.row("accelerator", Format.text(hw.path("accelerator"), "type") + " " + hw.path("accelerator").path("precisions"));
        t.row("runtime", Format.text(hw, "runtimeVersion"));
        t.row("agent", Format.text(d, "agentVersion"));
        t.row("attributes", d.path("attributes").toString());
        t.row("registered", Format.text(d, "registeredAt"));
        t.row("last seen", Format.text(d, "lastSeenAt"));
        t.row("build", Format.text(d, "currentBuildKey"));
        t.row("rollout", Format.text(d, "currentRolloutId") + " " + Format.text(d, "rolloutStatus"));
        return t.render();
      });
    }
  }

  /** The first 12 hex digits of a build key, like a short git hash. */
  public static String shortKey(String key) {
    return key == null || key.length() <= 12 ? key : key.substring(0, 12);
  }
}
