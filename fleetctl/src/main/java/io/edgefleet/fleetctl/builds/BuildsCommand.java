package io.edgefleet.fleetctl.builds;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.FleetCommand;
import io.edgefleet.fleetctl.devices.DevicesCommand;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetctl builds …}: quantized builds produced by the workers. */
@Command(name = "builds", description = "List and inspect quantized builds.", mixinStandardHelpOptions = true,
    subcommands = {BuildsCommand.ListBuilds.class, BuildsCommand.Get.class})
public final class BuildsCommand {

  @Command(name = "list", description = "List builds.")
  public static final class ListBuilds extends FleetCommand {
    @Override
    protected void execute() {
      JsonNode builds = client().get("/api/builds");
      print(builds, () -> {
        Table t = new Table("BUILD", "MODEL", "MODE", "STATUS", "SIZE", "TOP-1", "AGREEMENT");
        for (JsonNode b : builds) {
          JsonNode metrics = b.path("metrics");
          t.row(DevicesCommand.shortKey(b.path("buildKey").asText()), Format.text(b, "modelId"), Format.text(b, "mode"),
              Format.text(b, "status"), b.hasNonNull("sizeBytes") ? Format.bytes(b.path("sizeBytes").asLong()) : null,
              metrics.hasNonNull("quantizedTop1") ? Format.percent(metrics.path("quantizedTop1").asDouble(), 1) : null,
              metrics.hasNonNull("agreementWithFloat")
                  ? Format.percent(metrics.path("agreementWithFloat").asDouble(), 1) : null);
        }
        return t.render();
      });
    }
  }

  @Command(name = "get", description = "Show one build, its plan and why it was chosen.")
  public static final class Get extends FleetCommand {
    @Parameters(index = "0", paramLabel = "BUILD_KEY")
    String key;

    @Override
    protected void execute() {
      JsonNode b = client().get("/api/builds/" + key);
      print(b, () -> Format.json(b) + System.lineSeparator());
    }
  }
}
