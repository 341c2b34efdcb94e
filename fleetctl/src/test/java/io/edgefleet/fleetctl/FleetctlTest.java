package io.edgefleet.fleetctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FleetctlTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Fleetctl.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void shouldPrintHelpWithTheCommandsAndExitCodes() {
    assertThat(run("--help")).isEqualTo(ExitCodes.OK);

    assertThat(out.toString()).contains("models", "devices", "rollouts", "builds", "Exit codes:", "EDGEFLEET_TOKEN");
  }

  @Test
  void shouldExitWithUsageOnABadOptionValueWithoutCallingTheServer() {
    int code = run("--url", "http://127.0.0.1:1", "rollouts", "create", "r1", "--model", "m", "--groups", "canary:0");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("whole number >= 1");
  }

  @Test
  void shouldExitWithUsageOnAnUnknownOption() {
    assertThat(run("devices", "list", "--colour")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Unknown option", "fleetctl devices list --help");
  }

  @Test
  void shouldReportAnUnreachableControlPlane() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }

    int code = run("--url", "http://127.0.0.1:" + closedPort, "devices", "list");

    assertThat(code).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).contains("cannot connect to the control plane at http://127.0.0.1:" + closedPort);
  }

  @Test
  void shouldReportAMissingTokenFile() {
    int code = run("--token-file", "/nonexistent/token", "devices", "list");

    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("cannot read --token-file /nonexistent/token");
  }
}
