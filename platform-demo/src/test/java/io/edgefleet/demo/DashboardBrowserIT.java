package io.edgefleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefleet.demo.browser.BrowserPage;
import io.edgefleet.demo.browser.HeadlessChromium;
import io.edgefleet.fixtures.FixtureModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator dashboard in a real headless Chromium against the running platform (started as {@link FullLoopIT}
 * starts it: real Kafka, PostgreSQL, S3 server, control plane, worker and three agents running the FASHION_CNN
 * rollout): what it shows, that its charts really render, that it updates itself, and screenshots for the docs.
 * Runs only with {@code -Pbrowser} (docs/dashboard.md).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  private static final int WIDTH = 1400;
  private static final int HEIGHT = 2200;
  private static final String ROLLOUT = "demo-fashion_cnn";

  @TempDir static Path dataDir;

  private static PlatformLauncher platform;
  private static OperatorClient operator;
  private static DemoScenario.Outcome outcome;
  private static HeadlessChromium browser;
  private static BrowserPage dashboard;
  private static Path screenshots;

  @BeforeAll
  static void startPlatformAndBrowser() throws Exception {
    Path binary = HeadlessChromium.requireInstalled(); // a missing browser fails the test, it never skips it
    screenshots = Path.of(System.getProperty("edgefleet.screenshots", "../docs/screenshots")).toAbsolutePath()
        .normalize();
    platform = new PlatformLauncher(new PlatformConfig(dataDir, 0, 3, Duration.ofMinutes(3)), ProjectLayout.detect())
        .start();
    operator = platform.operatorClient();
    outcome = new DemoScenario(platform).run(FixtureModel.FASHION_CNN, 0.02, Duration.ofMinutes(6));
    System.out.println(DemoScenario.report(outcome));
    // the agents profile their build per operator every 30 s: wait until every build with devices has a profile
    await("per-operator profiles of every served build").atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2)).until(() -> {
          for (DemoScenario.BuildFigures b : DemoScenario.figures(operator.get("/api/telemetry/summary"))) {
            if (b.devices() > 0
                && operator.get("/api/telemetry/builds/" + b.buildKey() + "/ops").path("classes").isEmpty()) {
              return false;
            }
          }
          return true;
        });
    browser = HeadlessChromium.launch(binary, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (platform != null) {
        platform.close();
      }
      Path logs = dataDir.resolve("logs");
      if (Files.isDirectory(logs)) {
        Path kept = Files.createDirectories(Path.of("target", "dashboard-browser-logs"));
        try (var files = Files.list(logs)) {
          for (Path f : files.toList()) {
            Files.copy(f, kept.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  @Test
  @Order(1)
  void shouldAskForAnAccessTokenWhenOpenedWithoutOne() {
    try (BrowserPage page = browser.newPage(WIDTH, 900)) {
      page.navigate(platform.controlPlaneUrl() + "/", Duration.ofSeconds(30));

      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(text(page, "#status"))
          .contains("no access token").contains("#token="));
      assertThat(rows(page, "devices")).isEmpty();
      assertThat(rows(page, "builds")).isEmpty();
      assertThat(page.evaluate("document.title").asText()).contains("Edge Fleet");
      assertThat(page.errors()).as("errors reported by the page").isEmpty();
    }
  }

  @Test
  @Order(2)
  void shouldShowTheFleetTheRolloutTheBuildsAndTheOperatorProfiles() throws Exception {
    dashboard = browser.newPage(WIDTH, HEIGHT);
    dashboard.navigate(platform.dashboardUrl(Duration.ofMinutes(30)), Duration.ofSeconds(30));
    await("dashboard rendered").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(text(dashboard, "#status")).startsWith("updated ");
          assertThat(rows(dashboard, "devices")).hasSize(3);
          assertThat(rows(dashboard, "ops")).isNotEmpty();
          assertThat(rows(dashboard, "plans")).isNotEmpty();
        });
    // the token left the address bar (and so the history and the screenshots); the tab keeps it
    assertThat(dashboard.evaluate("location.href").asText()).doesNotContain("token").doesNotContain("#");
    assertThat(dashboard.evaluate("sessionStorage.getItem('edgefleet.token') !== null").asBoolean()).isTrue();

    // fleet: every device with its hardware class and accelerator, as the API reports them
    List<List<String>> deviceRows = rows(dashboard, "devices");
    JsonNode devices = operator.get("/api/devices?size=500").path("items");
    assertThat(devices).hasSize(3);
    Set<String> classes = new HashSet<>();
    for (JsonNode d : devices) {
      String name = d.path("name").asText(d.path("id").asText());
      classes.add(d.path("hardwareClass").asText());
      assertThat(deviceRows).as("row of %s", name).anySatisfy(r -> {
        assertThat(r.get(0)).isEqualTo(name);
        assertThat(r.get(1)).isEqualTo(d.path("hardwareClass").asText()).startsWith("hc-");
        assertThat(r.get(2)).startsWith(d.path("hardware").path("accelerator").path("type").asText());
      });
    }
    assertThat(classes).as("CPU, NPU and GPU devices are three hardware classes").hasSize(3);
    assertThat(text(dashboard, "#fleet-count")).isEqualTo("3 devices");
    assertThat(dashboard.evaluate("document.querySelectorAll('#classes .chip').length").asInt()).isEqualTo(3);

    // rollouts: the demo rollout reached every device, with the plans chosen per class
    JsonNode rollout = operator.get("/api/rollouts/" + outcome.rolloutId());
    List<String> rolloutRow = rows(dashboard, "rollouts").stream().filter(r -> r.get(0).equals(ROLLOUT)).findFirst()
        .orElseThrow(() -> new AssertionError("no row of " + ROLLOUT + " in " + rows(dashboard, "rollouts")));
    // RUNNING while devices install, FINISHED once every device runs its build: the page shows what the API says
    assertThat(rolloutRow.get(1)).isEqualTo(rollout.path("status").asText()).isIn("RUNNING", "FINISHED");
    assertThat(rolloutRow.get(2)).isEqualTo("3");
    assertThat(rolloutRow.get(3)).as("devices running their build").isEqualTo("3");
    assertThat(rolloutRow.get(4)).as("failed devices").isEqualTo("0");
    for (JsonNode c : rollout.path("classes")) {
      assertThat(rolloutRow.get(6)).contains(c.path("mode").asText() + "×" + c.path("devices").asInt());
    }

    // builds: each build running on devices has its fleet latency percentiles, device count and inferences
    List<List<String>> buildRows = rows(dashboard, "builds");
    List<DemoScenario.BuildFigures> figures = DemoScenario.figures(operator.get("/api/telemetry/summary"));
    assertThat(buildRows).hasSize(figures.size());
    int withDevices = 0;
    for (DemoScenario.BuildFigures b : figures) {
      if (b.devices() == 0) {
        continue;
      }
      withDevices++;
      assertThat(buildRows).as("row of build %s (%s)", b.buildKey(), b.mode()).anySatisfy(r -> {
        assertThat(r.get(0)).isEqualTo("fashion_cnn");
        assertThat(r.get(1)).isEqualTo(b.mode());
        assertThat(r.get(2)).isEqualTo("COMPLETED");
        assertThat(r.get(7)).matches("\\d+ / \\d+ / \\d+");
        String[] p = r.get(7).split(" / ");
        assertThat(Long.parseLong(p[0])).as("fleet p50 µs").isPositive();
        assertThat(Long.parseLong(p[1])).as("fleet p95 µs").isGreaterThanOrEqualTo(Long.parseLong(p[0]));
        assertThat(Long.parseLong(p[2])).as("fleet p99 µs").isGreaterThanOrEqualTo(Long.parseLong(p[1]));
        assertThat(r.get(8)).isEqualTo(String.valueOf(b.devices()));
        assertThat(Long.parseLong(r.get(9))).as("inferences").isPositive();
        assertThat(r.get(5)).as("fleet top-1").matches("\\d+\\.\\d%");
      });
    }
    assertThat(withDevices).isPositive();

    // per-operator profiles: one row per build × class that profiled, slowest operators with their share
    List<List<String>> opsRows = rows(dashboard, "ops");
    assertThat(opsRows).hasSizeGreaterThanOrEqualTo(withDevices);
    for (List<String> r : opsRows) {
      assertThat(r.get(1)).startsWith("hc-");
      assertThat(Double.parseDouble(r.get(3))).as("profiled µs per inference").isPositive();
      // operator names contain spaces and commas, e.g. "Convolution (NHWC, QC8) IGEMM #2 55.4%, ..."
      assertThat(r.get(4)).matches(".+ #\\d+ \\d+\\.\\d%");
      assertThat(r.get(4).split("#\\d+ \\d+\\.\\d%").length).as("slowest operators listed").isBetween(1, 4);
    }
    assertThat(dashboard.errors()).as("errors reported by the page").isEmpty();
  }

  @Test
  @Order(3)
  void shouldRenderTheChartsWithData() {
    // latency per build: datasets with real points, drawn in the plot area in the datasets' colours
    JsonNode latency = chart("latency");
    assertThat(latency.path("type").asText()).isEqualTo("line");
    assertThat(latency.path("datasets").asInt()).as("p50/p95/p99 per build with telemetry").isGreaterThanOrEqualTo(3);
    assertThat(latency.path("points").asInt()).isPositive();
    assertThat(latency.path("maxY").asDouble()).as("largest latency plotted, µs").isPositive();
    assertThat(latency.path("colouredPixels").asInt()).as("pixels of the series in the plot area").isGreaterThan(20);

    JsonNode ops = chart("ops-chart");
    assertThat(ops.path("type").asText()).isEqualTo("bar");
    assertThat(ops.path("labels").asInt()).as("one bar per build × class").isEqualTo(rows(dashboard, "ops").size());
    assertThat(ops.path("maxY").asDouble()).as("largest operator time, µs").isPositive();
    assertThat(ops.path("colouredPixels").asInt()).isGreaterThan(100);
    assertThat(dashboard.errors()).isEmpty();
  }

  @Test
  @Order(4)
  void shouldShowTheParetoFrontierAndTheChosenPlanPerClass() throws Exception {
    JsonNode rollout = operator.get("/api/rollouts/" + outcome.rolloutId());
    String modelId = rollout.path("modelId").asText();
    assertThat(text(dashboard, "#model-name")).startsWith("fashion_cnn v1").contains(ROLLOUT);

    List<List<String>> planRows = rows(dashboard, "plans");
    assertThat(planRows).hasSize(rollout.path("classes").size());
    for (JsonNode c : rollout.path("classes")) {
      String hc = c.path("hardwareClass").asText();
      JsonNode predicted = c.path("explanation").path("predicted");
      assertThat(planRows).as("plan row of %s", hc).anySatisfy(r -> {
        assertThat(r.get(0)).isEqualTo(hc);
        assertThat(r.get(1)).isEqualTo(String.valueOf(c.path("devices").asInt()));
        assertThat(r.get(2)).isEqualTo(c.path("mode").asText());
        assertThat(c.path("planHash").asText()).startsWith(r.get(3));
        assertThat(Double.parseDouble(r.get(5).replace("%", "")))
            .isCloseTo(100 * predicted.path("predictedLoss").asDouble(), within(0.0051));
        assertThat(r.get(8)).isNotBlank().isNotEqualTo("—");
      });

      // the frontier plotted for the class is the one the API serves, point for point
      JsonNode view = operator.get("/api/models/" + modelId + "/pareto?hardwareClass=" + hc + "&axis=size");
      JsonNode points = view.path("points");
      assertThat(points.size()).as("frontier points of %s", hc).isPositive();
      JsonNode plotted = dashboard.evaluate("Chart.getChart(document.getElementById('pareto-chart')).data.datasets"
          + ".filter(d => d.label.startsWith('" + hc.substring(0, 10) + " ')).map(d => ({ label: d.label, data: d.data }))");
      JsonNode frontier = null;
      JsonNode chosen = null;
      for (JsonNode d : plotted) {
        if (d.path("label").asText().contains(" frontier ")) {
          frontier = d.path("data");
        } else if (d.path("label").asText().contains(" chosen: ")) {
          chosen = d.path("data");
        }
      }
      assertThat(frontier).as("frontier dataset of %s in %s", hc, plotted).isNotNull();
      assertThat(frontier.size()).isEqualTo(points.size());
      for (int i = 0; i < points.size(); i++) {
        assertThat(frontier.get(i).path("x").asDouble()).isCloseTo(points.get(i).path("sizeBytes").asDouble() / 1024,
            within(1e-9));
        assertThat(frontier.get(i).path("y").asDouble()).isCloseTo(points.get(i).path("predictedLoss").asDouble(),
            within(1e-12));
      }
      assertThat(chosen).as("chosen plan of %s", hc).isNotNull();
      assertThat(chosen.get(0).path("y").asDouble()).isCloseTo(predicted.path("predictedLoss").asDouble(),
          within(1e-12));
    }
    JsonNode pareto = chart("pareto-chart");
    assertThat(pareto.path("type").asText()).isEqualTo("scatter");
    assertThat(pareto.path("points").asInt()).isPositive();
    assertThat(pareto.path("colouredPixels").asInt()).isGreaterThan(50);
    assertThat(text(dashboard, "#model-note")).doesNotContain("unavailable");
    assertThat(dashboard.errors()).isEmpty();
  }

  @Test
  @Order(5)
  void shouldUpdateItselfWithoutAReload() {
    dashboard.evaluate("window.__sameDocument = 'yes'");
    String status = text(dashboard, "#status");
    long inferences = inferencesShown();
    await("a newer refresh").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(text(dashboard, "#status")).startsWith("updated ").isNotEqualTo(status));
    AtomicReference<Long> latest = new AtomicReference<>();
    await("inference counts growing on the page").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          latest.set(inferencesShown());
          return latest.get() > inferences;
        });
    assertThat(dashboard.evaluate("window.__sameDocument").asText()).as("no reload happened").isEqualTo("yes");
    assertThat(dashboard.errors()).isEmpty();
  }

  @Test
  @Order(6)
  void shouldCaptureScreenshotsForTheDocs() throws IOException {
    Files.createDirectories(screenshots);
    BufferedImage full = save(dashboard.fullPageScreenshot(), "dashboard.png");
    assertThat(full.getWidth()).isEqualTo(WIDTH);
    assertThat(full.getHeight()).isGreaterThanOrEqualTo(HEIGHT);
    assertThat(distinctColours(full)).as("a rendered page, not a blank one").isGreaterThan(100);

    BufferedImage detail = save(dashboard.elementScreenshot("#model-detail"), "dashboard-model-detail.png");
    assertThat(detail.getWidth()).isGreaterThan(1000);
    assertThat(distinctColours(detail)).isGreaterThan(50);
    assertThat(dashboard.errors()).isEmpty();
  }

  private static BufferedImage save(byte[] png, String name) throws IOException {
    Path file = screenshots.resolve(name);
    Files.write(file, png);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("PNG %s", file).isNotNull();
    System.out.println("screenshot " + file + " (" + image.getWidth() + "x" + image.getHeight() + ")");
    return image;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }

  private long inferencesShown() {
    long sum = 0;
    for (List<String> r : rows(dashboard, "builds")) {
      if (r.get(9).matches("\\d+")) {
        sum += Long.parseLong(r.get(9));
      }
    }
    return sum;
  }

  private static String text(BrowserPage page, String selector) {
    return page.evaluate("(document.querySelector('" + selector + "') || {}).textContent || ''").asText();
  }

  /** The text of every cell of every body row of the table {@code #id}. */
  private static List<List<String>> rows(BrowserPage page, String id) {
    JsonNode table = page.evaluate("Array.from(document.querySelectorAll('#" + id + " tbody tr'))"
        + ".map(tr => Array.from(tr.cells).map(td => td.textContent.trim()))");
    List<List<String>> out = new ArrayList<>();
    for (JsonNode r : table) {
      List<String> cells = new ArrayList<>();
      r.forEach(c -> cells.add(c.asText()));
      out.add(cells);
    }
    return out;
  }

  /**
   * What Chart.js holds for the canvas {@code #id} (type, datasets, labels, plotted points, largest value) and how many
   * pixels inside its plot area have one of its datasets' colours: grid lines and axes are grey, so coloured pixels
   * there are drawn series.
   */
  private static JsonNode chart(String id) {
    return dashboard.evaluate("""
        (() => {
          const canvas = document.getElementById('%s');
          const chart = Chart.getChart(canvas);
          if (!chart) return { type: null };
          const values = chart.data.datasets.flatMap(d => d.data)
            .map(v => v !== null && typeof v === 'object' ? v.y : v)
            .filter(v => v !== null && v !== undefined && Number.isFinite(v));
          const ratio = chart.currentDevicePixelRatio || 1;
          const a = chart.chartArea;
          const x0 = Math.floor(a.left * ratio), y0 = Math.floor(a.top * ratio);
          const w = Math.max(1, Math.floor((a.right - a.left) * ratio)), h = Math.max(1, Math.floor((a.bottom - a.top) * ratio));
          const px = canvas.getContext('2d').getImageData(x0, y0, w, h).data;
          const colours = [...new Set(chart.data.datasets.map(d => d.borderColor || d.backgroundColor))]
            .filter(c => typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c))
            .map(c => [1, 3, 5].map(i => parseInt(c.substring(i, i + 2), 16)));
          let coloured = 0;
          for (let i = 0; i < px.length; i += 4) {
            if (px[i + 3] < 200) continue;
            if (colours.some(c => Math.abs(c[0] - px[i]) + Math.abs(c[1] - px[i + 1]) + Math.abs(c[2] - px[i + 2]) < 40)) coloured++;
          }
          return { type: chart.config.type, datasets: chart.data.datasets.length, labels: (chart.data.labels || []).length,
                   points: values.length, maxY: values.length ? Math.max(...values) : 0, colouredPixels: coloured };
        })()
        """.formatted(id));
  }
}
