package io.edgefleet.demo;

import io.edgefleet.fixtures.FixtureModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The demo command: runs the whole platform locally (real Kafka, PostgreSQL and S3 server, control plane, quantizer
 * worker, a simulated fleet of edge agents), rolls out a fixture model and prints the dashboard URL.
 *
 * <pre>
 * options: --data-dir DIR (default ./demo-data)  --agents N (default 3)  --port P (default 8080, 0 = any)
 *          --model fashion_cnn|fashion_dscnn|fashion_mlp  --exit-when-done (stop after the first figures)
 * </pre>
 */
public final class PlatformDemo {

  private PlatformDemo() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of("demo-data");
    int agents = 3;
    int port = 8080;
    boolean exitWhenDone = false;
    FixtureModel model = FixtureModel.FASHION_CNN;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
        case "--agents" -> agents = Integer.parseInt(value(args, ++i, "--agents"));
        case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
        case "--model" -> model = FixtureModel.valueOf(value(args, ++i, "--model").toUpperCase(Locale.ROOT));
        case "--exit-when-done" -> exitWhenDone = true;
        case "-h", "--help" -> {
          System.out.println("usage: demo [--data-dir DIR] [--agents N] [--port P] [--model fashion_cnn|fashion_dscnn|fashion_mlp] [--exit-when-done]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
      }
    }
    PlatformConfig config = new PlatformConfig(dataDir.toAbsolutePath(), port, agents, Duration.ofMinutes(3));
    try (PlatformLauncher platform = new PlatformLauncher(config, ProjectLayout.detect()).start()) {
      System.out.println("control plane: " + platform.controlPlaneUrl() + "  (logs under " + dataDir.resolve("logs") + ")");
      DemoScenario.Outcome outcome = new DemoScenario(platform).run(model, 0.02, Duration.ofMinutes(5));
      System.out.println(DemoScenario.report(outcome));
      System.out.println("Dashboard: " + platform.dashboardUrl(Duration.ofHours(12))
          + "  (read-only viewer token, valid 12 h; keep the URL private)");
      System.out.println("Operator keys (local stand-in of the OIDC provider): "
          + platform.operatorTokens().publicKeyFile().getParent());
      java.nio.file.Path tokenFile = platform.operatorTokens().publicKeyFile().getParent().resolve("operator.token");
      java.nio.file.Files.writeString(tokenFile,
          platform.operatorTokens().mint("demo-operator", Duration.ofHours(12), "operator"));
      try {
        java.nio.file.Files.setPosixFilePermissions(tokenFile,
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        System.out.println("(cannot restrict the permissions of " + tokenFile + " on this file system)");
      }
      System.out.println("Operator token (role operator, 12 h): " + tokenFile
          + "  e.g. curl -H \"Authorization: Bearer $(cat " + tokenFile + ")\" " + platform.controlPlaneUrl()
          + "/api/devices");
      System.out.println("API:       " + platform.controlPlaneUrl() + "/q/swagger-ui  (OpenAPI at /q/openapi)");
      if (exitWhenDone) {
        return;
      }
      System.out.println("The fleet keeps streaming telemetry. Press Ctrl-C to stop everything.");
      new CountDownLatch(1).await();
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
