package io.edgefleet.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.fleetctl.client.FleetClient;
import io.edgefleet.fleetctl.output.Format;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of every leaf command: the client and output settings come from the root {@link Fleetctl} options. */
public abstract class FleetCommand implements Callable<Integer> {

  @Spec protected CommandSpec spec;

  protected Fleetctl root() {
    return (Fleetctl) spec.root().userObject();
  }

  protected FleetClient client() {
    return root().client();
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints {@code json} as JSON, or the table text for people. */
  protected void print(JsonNode json, Supplier<String> table) {
    if (root().format() == Format.JSON) {
      out().println(Format.json(json));
    } else {
      out().print(table.get());
    }
    out().flush();
  }

  @Override
  public final Integer call() {
    execute();
    return ExitCodes.OK;
  }

  protected abstract void execute();
}
