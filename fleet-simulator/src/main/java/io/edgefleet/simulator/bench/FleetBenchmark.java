package io.edgefleet.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.demo.OperatorClient;
import io.edgefleet.demo.PlatformConfig;
import io.edgefleet.demo.PlatformLauncher;
import io.edgefleet.demo.ProjectLayout;
import io.edgefleet.fixtures.FixtureModel;
import io.edgefleet.fixtures.Fixtures;
import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import io.edgefleet.simulator.fleet.FleetSimulator;
import io.edgefleet.simulator.fleet.FleetStats;
import io.edgefleet.simulator.fleet.RolloutProgress;
import io.edgefleet.simulator.fleet.SimulatorConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * The fleet scale benchmark (on demand, not a test). For each fleet size: starts the platform with the demo's
 * launcher (real Kafka, PostgreSQL, S3 server, control plane, quantizer worker; no agent process), registers N
 * simulated devices, uploads a fixture model, rolls it out to all of them and measures registration throughput, time
 * until every device has its assignment and runs it, Kafka consumer lag of the control plane, the assignment
 * endpoint's p50/p99 under a fixed request rate from a second JVM ({@link LoadGenerator}), PostgreSQL size and the
 * control plane's memory. Prints a table and writes it into {@code docs/benchmarks/fleet.md}.
 *
 * <pre>
 * options: --devices 1000,10000  --model fashion_mlp  --classes 4  --rate 1000  --load-seconds 30
 *          --phase-timeout-seconds 300  --control-plane-timeout-seconds 120  --prebuild true  --telemetry-seconds 30  --verify-fraction 0.01  --max-in-flight 256
 *          --data-dir target/fleet-bench  --output docs/benchmarks/fleet.md
 * </pre>
 */
public final class FleetBenchmark {
  private static final Logger LOG = Logger.getLogger(FleetBenchmark.class.getName());
  private static final String GROUP = "edgefleet-control-plane";

  private final Map<String, String> options;
  private final ProjectLayout layout;

  private FleetBenchmark(Map<String, String> options, ProjectLayout layout) {
    this.options = options;
    this.layout = layout;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Options.parse(args, defaults());
    ProjectLayout layout = ProjectLayout.detect();
    FleetBenchmark bench = new FleetBenchmark(o, layout);
    List<ScaleResult> results = new ArrayList<>();
    for (String n : o.get("--devices").split(",")) {
      ScaleResult r = bench.run(Integer.parseInt(n.trim()));
      results.add(r);
      System.out.println(BenchmarkReport.table(results));
      BenchmarkReport.write(layout.root().resolve(o.get("--output")), commandLine(args), results);
    }
    System.out.println(BenchmarkReport.table(results));
    System.exit(0);
  }

  static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("--devices", "1000,10000");
    d.put("--model", "fashion_mlp");
    d.put("--classes", "4");
    d.put("--rate", "1000");
    d.put("--load-seconds", "30");
    d.put("--phase-timeout-seconds", "300");
    d.put("--control-plane-timeout-seconds", "120");
    d.put("--prebuild", "true");
    d.put("--telemetry-seconds", "30");
    d.put("--verify-fraction", "0.01");
    d.put("--max-in-flight", "256");
    d.put("--data-dir", "fleet-simulator/target/fleet-bench");
    d.put("--output", "docs/benchmarks/fleet.md");
    return d;
  }

  private ScaleResult run(int devices) throws Exception {
    Duration phaseTimeout = Duration.ofSeconds(Long.parseLong(options.get("--phase-timeout-seconds")));
    Path dataDir = layout.root().resolve(options.get("--data-dir")).resolve(devices + "-" + System.currentTimeMillis());
    System.out.printf(Locale.ROOT, "=== %d simulated devices (data: %s)%n", devices, dataDir);
    try (PlatformLauncher platform =
        new PlatformLauncher(new PlatformConfig(dataDir, 0, 0, Duration.ofMinutes(3)), layout).start()) {
      // admin token minted from the platform's locally generated operator key (stand-in of the OIDC provider)
      OperatorClient operator = platform.operatorClient();
      FixtureModel fixture = FixtureModel.valueOf(options.get("--model").toUpperCase(Locale.ROOT));
      JsonNode model = operator.uploadModel(fixture.name().toLowerCase(Locale.ROOT), Fixtures.model(fixture),
          Fixtures.calibrationSet(), Fixtures.evalSet());
      SimulatorConfig config = SimulatorConfig.defaults(platform.controlPlaneUrl(), platform.stack().kafkaBootstrapServers())
          .withHardwareClasses(Integer.parseInt(options.get("--classes")))
          .withTelemetryInterval(Duration.ofSeconds(Long.parseLong(options.get("--telemetry-seconds"))))
          .withVerifyDownloadFraction(Double.parseDouble(options.get("--verify-fraction")))
          .withMaxInFlightRequests(Integer.parseInt(options.get("--max-in-flight")))
          .withTrustedPublicKey(platform.publicKey());
      long pid = platform.controlPlaneProcess().pid();
      try (FleetSimulator fleet = FleetSimulator.start(config);
          KafkaLagProbe lag = new KafkaLagProbe(platform.stack().kafkaBootstrapServers(), GROUP,
              List.of(Topics.DEVICE_FEEDBACK, Topics.TELEMETRY))) {
        // registration
        Instant t0 = Instant.now();
        fleet.addDevices(devices, operator::preauthorize);
        waitFor("registrations", platform, phaseTimeout, () -> fleet.stats().registered(), devices);
        FleetStats reg = fleet.stats();
        long registrationMillis = reg.lastRegisteredAt() == null ? -1 : Duration.between(t0, reg.lastRegisteredAt()).toMillis();
        System.out.printf(Locale.ROOT, "registered %d devices in %d ms%n", reg.registered(), registrationMillis);
        // rollouts are planned from the worker's per-layer analysis of the model: wait until it is READY
        String modelPath = "/api/models/" + model.get("id").asText();
        waitFor("model analysis", platform, phaseTimeout, () -> analysisReady(operator, modelPath), 1);

        // builds: a small rollout to one canary device per hardware class, so that the measured rollout below is the
        // control plane's fan-out to the fleet and not the worker's quantization time
        long prebuildMillis = -1;
        if (Boolean.parseBoolean(options.get("--prebuild"))) {
          Instant tc = Instant.now();
          String canary = createRollout(platform, rollout("fleet-benchmark-canaries-" + devices, model,
              Map.of("simulated", "true", "canary", "true"))).get("id").asText();
          int classes = config.hardwareClasses();
          int done = waitFor("canary builds", platform, phaseTimeout, () -> fleet.progress(canary).running(), classes);
          if (done < classes) {
            throw new SimulatorException(SimulatorErrorCode.TIMEOUT, "canary rollout reached only " + done + "/" + classes);
          }
          prebuildMillis = Duration.between(tc, Instant.now()).toMillis();
          System.out.printf(Locale.ROOT, "builds for %d classes ready after %d ms%n", classes, prebuildMillis);
        }

        // the rollout to every device, with lag sampled every second from its creation on
        AtomicLong maxFeedbackLag = new AtomicLong();
        AtomicLong maxTelemetryLag = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        Instant tRollout = Instant.now();
        String rolloutId;
        String rolloutError = null;
        try {
          rolloutId = createRollout(platform, rollout("fleet-benchmark-" + devices, model, Map.of("simulated", "true")))
              .get("id").asText();
        } catch (SimulatorException e) {
          // a control plane that cannot create the rollout is a result, not a reason to lose the other figures
          rolloutId = null;
          rolloutError = e.getMessage();
          System.out.println("rollout failed after " + Duration.between(tRollout, Instant.now()).toMillis() + " ms: " + e.getMessage());
        }
        long createMillis = Duration.between(tRollout, Instant.now()).toMillis();
        sampler.scheduleWithFixedDelay(() -> {
          try {
            Map<String, Long> l = lag.lag();
            maxFeedbackLag.accumulateAndGet(l.getOrDefault(Topics.DEVICE_FEEDBACK, 0L), Math::max);
            maxTelemetryLag.accumulateAndGet(l.getOrDefault(Topics.TELEMETRY, 0L), Math::max);
          } catch (SimulatorException e) {
            LOG.warning(e.getMessage());
          }
        }, 0, 1, TimeUnit.SECONDS);
        int assigned = 0;
        int running = 0;
        int cpRunning = 0;
        long assignedMillis = -1;
        long firstAssignedMillis = -1;
        long runningMillis = -1;
        long cpRunningMillis = -1;
        if (rolloutId != null) {
          String id = rolloutId;
          assigned = waitFor("assignments", platform, phaseTimeout, () -> fleet.progress(id).assigned(), devices);
          RolloutProgress p = fleet.progress(id);
          assignedMillis = assigned == devices ? Duration.between(tRollout, p.lastAssignedAt()).toMillis() : -1;
          firstAssignedMillis = p.firstAssignedAt() == null ? -1 : Duration.between(tRollout, p.firstAssignedAt()).toMillis();
          System.out.printf(Locale.ROOT, "assigned %d/%d in %d ms after the rollout%n", assigned, devices, assignedMillis);
          running = waitFor("RUNNING feedback", platform, phaseTimeout, () -> fleet.progress(id).running(), devices);
          p = fleet.progress(id);
          runningMillis = running == devices ? Duration.between(tRollout, p.lastRunningAt()).toMillis() : -1;
          System.out.printf(Locale.ROOT, "running %d/%d in %d ms after the rollout%n", running, devices, runningMillis);
          cpRunning = waitFor("control plane counts RUNNING", platform,
              Duration.ofSeconds(Long.parseLong(options.get("--control-plane-timeout-seconds"))),
              () -> countRunning(operator, id), devices);
          cpRunningMillis = cpRunning == devices ? Duration.between(tRollout, Instant.now()).toMillis() : -1;
          System.out.printf(Locale.ROOT, "control plane: %d/%d RUNNING after %d ms%n", cpRunning, devices, cpRunningMillis);
        }

        int telemetryDevices = rolloutId == null ? 0 : waitFor("telemetry of every device", platform,
            Duration.ofSeconds(60), () -> telemetryDevices(operator), devices);

        // steady state: the fleet keeps polling at the server-set interval; a second JVM adds a fixed request rate
        FleetStats before = fleet.stats();
        // the load generator acts as the devices: it needs their device tokens (each call is authenticated)
        Path tokens = dataDir.resolve("device-tokens.tsv");
        StringBuilder tsv = new StringBuilder();
        fleet.deviceTokens().forEach((id, token) -> tsv.append(id).append('\t').append(token).append('\n'));
        Files.writeString(tokens, tsv.toString());
        Instant loadStart = Instant.now();
        Map<String, Object> load = runLoadGenerator(platform, tokens);
        FleetStats after = fleet.stats();
        double fleetPollRate = (after.polls() - before.polls()) / (Duration.between(loadStart, Instant.now()).toMillis() / 1000.0);
        System.out.println("load generator (fleet polling): " + load);
        sampler.shutdownNow();
        // the same load with the fleet stopped: the endpoint on its own
        fleet.close();
        Map<String, Object> isolated = runLoadGenerator(platform, tokens);
        System.out.println("load generator (fleet stopped): " + isolated);
        long pgBytes = ResourceProbes.postgresDatabaseBytes(platform.stack().jdbcUrl(), platform.stack().dbUser(),
            platform.stack().dbPassword());
        return new ScaleResult(devices, registrationMillis,
            registrationMillis > 0 ? devices * 1000.0 / registrationMillis : 0, prebuildMillis, createMillis, rolloutError, firstAssignedMillis, assignedMillis, assigned,
            runningMillis, running, cpRunningMillis, cpRunning, maxFeedbackLag.get(), maxTelemetryLag.get(),
            number(load, "targetRate"), number(load, "achievedRate"), (long) number(load, "p50Micros"),
            (long) number(load, "p99Micros"), (long) number(load, "errors"), fleetPollRate,
            number(isolated, "achievedRate"), (long) number(isolated, "p50Micros"), (long) number(isolated, "p99Micros"),
            pgBytes,
            ResourceProbes.residentBytes(pid).orElse(-1), ResourceProbes.peakResidentBytes(pid).orElse(-1),
            telemetryDevices);
      }
    }
  }

  private Map<String, Object> runLoadGenerator(PlatformLauncher platform, Path deviceTokens)
      throws IOException, InterruptedException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(),
        "--url", platform.controlPlaneUrl().toString(), "--device-tokens", deviceTokens.toString(),
        "--rate", options.get("--rate"), "--duration", options.get("--load-seconds"), "--warmup", "5");
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith(LoadGenerator.RESULT_PREFIX)) {
          result = line.substring(LoadGenerator.RESULT_PREFIX.length());
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0 || result == null) {
      throw new SimulatorException(SimulatorErrorCode.PROBE_FAILED, "load generator exited with " + exit + " without a result");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> parsed = EventCodec.mapper().readValue(result, Map.class);
    return parsed;
  }

  /**
   * {@code POST /api/rollouts} with a long timeout: the control plane resolves, persists and (when the builds exist)
   * assigns every target inside that request, which takes far longer than the operator client's 30 s with 10k+ devices.
   */
  private static JsonNode createRollout(PlatformLauncher platform, Map<String, Object> body) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(platform.controlPlaneUrl().resolve("/api/rollouts"))
        .timeout(Duration.ofMinutes(15))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + platform.operatorTokens().mint("fleet-benchmark", Duration.ofMinutes(30),
            "operator"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.mapper().writeValueAsBytes(body)))
        .build();
    HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (resp.statusCode() != 201) {
      throw new SimulatorException(SimulatorErrorCode.CONTROL_PLANE_ERROR,
          "POST /api/rollouts answered " + resp.statusCode() + ": " + new String(resp.body(), StandardCharsets.UTF_8));
    }
    return EventCodec.mapper().readTree(resp.body());
  }

  private static Map<String, Object> rollout(String name, JsonNode model, Map<String, String> attributes) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("modelId", model.get("id").asText());
    r.put("deviceFilter", Map.of("attributes", attributes));
    r.put("maxAccuracyDrop", 0.05);
    return r;
  }

  private static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof Number n ? n.doubleValue() : -1;
  }

  private static int countRunning(OperatorClient operator, String rolloutId) {
    try {
      return operator.get("/api/rollouts/" + rolloutId).path("counts").path("RUNNING").asInt();
    } catch (IOException e) {
      LOG.warning("rollout status unavailable: " + e.getMessage());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int telemetryDevices(OperatorClient operator) {
    try {
      int n = 0;
      for (JsonNode b : operator.get("/api/telemetry/summary")) {
        n += b.path("fleet").path("devices").asInt();
      }
      return n;
    } catch (IOException e) {
      LOG.warning("telemetry summary unavailable: " + e.getMessage());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Polls {@code progress} every second until it reaches {@code target} or the timeout; returns the last value. */
  private static int analysisReady(OperatorClient operator, String modelPath) {
    try {
      return operator.get(modelPath).path("analysisStatus").asText().equals("READY") ? 1 : 0;
    } catch (IOException e) {
      LOG.warning("model status unavailable: " + e.getMessage());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int waitFor(String what, PlatformLauncher platform, Duration timeout, IntSupplier progress, int target)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    int last = progress.getAsInt();
    Instant lastReport = Instant.now();
    while (last < target && Instant.now().isBefore(deadline)) {
      platform.requireAllAlive();
      TimeUnit.MILLISECONDS.sleep(250);
      last = progress.getAsInt();
      if (Duration.between(lastReport, Instant.now()).toSeconds() >= 10) {
        lastReport = Instant.now();
        System.out.printf(Locale.ROOT, "  %s: %d/%d%n", what, last, target);
      }
    }
    if (last < target) {
      System.out.printf(Locale.ROOT, "  %s: only %d/%d within %s%n", what, last, target, timeout);
    }
    return last;
  }

  private static String commandLine(String[] args) {
    return "java -cp fleet-simulator/target/fleet-simulator.jar:$(cat fleet-simulator/target/classpath.txt) "
        + FleetBenchmark.class.getName() + (args.length == 0 ? "" : " " + String.join(" ", args));
  }

}
