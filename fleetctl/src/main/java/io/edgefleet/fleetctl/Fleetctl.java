package io.edgefleet.fleetctl;

import io.edgefleet.fleetctl.FleetctlException.ErrorCode;
import io.edgefleet.fleetctl.builds.BuildsCommand;
import io.edgefleet.fleetctl.client.FleetClient;
import io.edgefleet.fleetctl.devices.DevicesCommand;
import io.edgefleet.fleetctl.models.ModelsCommand;
import io.edgefleet.fleetctl.output.Format;
import io.edgefleet.fleetctl.rollouts.RolloutsCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleetctl}: the operator's command line for the control plane. */
@Command(
    name = "fleetctl",
    mixinStandardHelpOptions = true,
    versionProvider = Fleetctl.Version.class,
    description = "Operate an Edge Fleet control plane: register models, list devices, create and watch rollouts.",
    subcommands = {ModelsCommand.class, DevicesCommand.class, RolloutsCommand.class, BuildsCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
        "  0 ok   2 bad usage   3 request rejected (4xx)   4 not authorised (401/403)",
        "  5 control plane failed or unreachable   6 watched rollout did not finish   7 timed out",
        "",
        "Environment: EDGEFLEET_URL, EDGEFLEET_TOKEN (or --token-file)."})
public final class Fleetctl implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:EDGEFLEET_URL:-http://127.0.0.1:8080}",
      description = "Control-plane base URL (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:EDGEFLEET_TOKEN}",
      description = "Operator bearer token (default: $EDGEFLEET_TOKEN). Prefer --token-file: a token on the command "
          + "line ends up in shell history.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "Read the bearer token from this file.")
  Path tokenFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).", converter = FormatConverter.class)
  Format format;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
      description = "Per-request timeout (default: ${DEFAULT-VALUE}).", converter = DurationConverter.class)
  Duration timeout;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A client configured from the global options. */
  public FleetClient client() {
    return new FleetClient(url, resolveToken(), timeout);
  }

  public Format format() {
    return format;
  }

  private String resolveToken() {
    if (tokenFile == null) {
      return token;
    }
    try {
      return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new FleetctlException(ErrorCode.IO_ERROR, "cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
    }
  }

  /** A command line wired with fleetctl's error handling, printing to {@code out} / {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Fleetctl());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof FleetctlException fe) {
        commandLine.getErr().println("fleetctl: " + fe.getMessage());
        return fe.code().exitCode();
      }
      commandLine.getErr().println("fleetctl: internal error: " + ex);
      ex.printStackTrace(commandLine.getErr());
      return ExitCodes.INTERNAL;
    });
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("fleetctl: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return ExitCodes.USAGE;
    });
    return cl;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(commandLine(out, err).execute(args));
  }

  static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
      try {
        return Format.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("expected table or json, got '" + value + "'");
      }
    }
  }

  /** Converts {@code 2s}, {@code 10m}, {@code PT30S}. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Values.duration(value);
      } catch (FleetctlException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Fleetctl.class.getPackage().getImplementationVersion();
      return new String[] {"fleetctl " + (v == null ? "(development build)" : v)};
    }
  }
}
