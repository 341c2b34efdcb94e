package io.edgefleet.demo.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DevTools client against the real installed browser, on self-contained {@code data:} pages. */
class HeadlessChromiumBrowserIT {

  private static final String PAGE = """
      <!DOCTYPE html><html><head><title>probe</title><style>body{margin:0;background:#fff}</style></head><body>
      <h1 id="title">hello from a data URL</h1>
      <canvas id="c" width="200" height="100"></canvas>
      <script>
        const ctx = document.getElementById('c').getContext('2d');
        ctx.fillStyle = 'rgb(255, 0, 0)';
        ctx.fillRect(0, 0, 200, 100);
        window.answer = 6 * 7;
        console.log('an ordinary log line');
        console.error('a console error for the test');
        setTimeout(() => { throw new Error('an uncaught failure for the test'); }, 0);
      </script></body></html>
      """;

  private static HeadlessChromium browser;

  @BeforeAll
  static void startBrowser() {
    browser = HeadlessChromium.launch(HeadlessChromium.requireInstalled(), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void shouldReportTheInstalledBrowserVersion() {
    assertThat(browser.version()).matches("(Headless)?Chrome/\\d+\\..*");
  }

  @Test
  void shouldLoadAPageEvaluateScriptsAndCaptureItsErrors() {
    try (BrowserPage page = browser.newPage(800, 600)) {
      page.navigate(dataUrl(PAGE), Duration.ofSeconds(30));

      assertThat(page.evaluate("document.getElementById('title').textContent").asText())
          .isEqualTo("hello from a data URL");
      assertThat(page.evaluate("window.answer").asInt()).isEqualTo(42);
      assertThat(page.evaluate("Promise.resolve({ a: [1, 2, 3] })").path("a").size()).isEqualTo(3);
      assertThat(page.evaluate("undefined").isNull()).isTrue();
      assertThat(page.evaluate("window.innerWidth").asInt()).isEqualTo(800);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(page.errors())
          .anySatisfy(e -> assertThat(e).startsWith("console.error").contains("a console error for the test"))
          .anySatisfy(e -> assertThat(e).startsWith("uncaught").contains("an uncaught failure for the test")));
      assertThat(page.consoleMessages()).contains("log: an ordinary log line");
      assertThat(page.errors()).as("a console.log is not an error").noneMatch(e -> e.startsWith("console.log"))
          .hasSize(2);
    }
  }

  @Test
  void shouldFailWithTheScriptErrorWhenAnExpressionThrows() {
    try (BrowserPage page = browser.newPage(400, 300)) {
      page.navigate(dataUrl("<p>x</p>"), Duration.ofSeconds(30));
      assertThatThrownBy(() -> page.evaluate("null.field"))
          .isInstanceOf(BrowserException.class)
          .hasMessageContaining("browser.script-error")
          .hasMessageContaining("TypeError");
    }
  }

  @Test
  void shouldCaptureScreenshotsWithTheRenderedPixels() throws IOException {
    try (BrowserPage page = browser.newPage(640, 480)) {
      page.navigate(dataUrl(PAGE), Duration.ofSeconds(30));

      BufferedImage full = png(page.fullPageScreenshot());
      assertThat(full.getWidth()).isEqualTo(640);
      assertThat(full.getHeight()).isGreaterThanOrEqualTo(100);

      BufferedImage canvas = png(page.elementScreenshot("#c"));
      assertThat(canvas.getWidth()).isEqualTo(200);
      assertThat(canvas.getHeight()).isEqualTo(100);
      assertThat(canvas.getRGB(100, 50) & 0xffffff).as("centre of the red canvas").isEqualTo(0xff0000);
      // the same pixel read back by the page itself
      JsonNode pixel = page.evaluate("Array.from(document.getElementById('c').getContext('2d')"
          + ".getImageData(100, 50, 1, 1).data)");
      assertThat(pixel.get(0).asInt()).isEqualTo(255);
      assertThat(pixel.get(1).asInt()).isZero();
      assertThatThrownBy(() -> page.elementScreenshot("#missing")).isInstanceOf(BrowserException.class)
          .hasMessageContaining("no element #missing");
    }
  }

  @Test
  void shouldKeepPagesIsolatedFromEachOther() {
    try (BrowserPage first = browser.newPage(400, 300); BrowserPage second = browser.newPage(400, 300)) {
      first.navigate(dataUrl("<p>one</p>"), Duration.ofSeconds(30));
      second.navigate(dataUrl("<p>two</p>"), Duration.ofSeconds(30));
      first.evaluate("window.mark = 'first'");
      assertThat(second.evaluate("typeof window.mark").asText()).isEqualTo("undefined");
      assertThat(first.evaluate("document.body.textContent").asText()).isEqualTo("one");
    }
  }

  @Test
  void shouldNameTheMissingPackageWhenTheBrowserIsNotInstalled() {
    String before = System.getProperty(HeadlessChromium.BINARY_PROPERTY);
    System.setProperty(HeadlessChromium.BINARY_PROPERTY, "/nonexistent/chromium");
    try {
      assertThatThrownBy(HeadlessChromium::requireInstalled)
          .isInstanceOf(BrowserException.class)
          .hasMessageContaining("browser.not-installed")
          .hasMessageContaining("apt-get install chromium chromium-driver");
    } finally {
      if (before == null) {
        System.clearProperty(HeadlessChromium.BINARY_PROPERTY);
      } else {
        System.setProperty(HeadlessChromium.BINARY_PROPERTY, before);
      }
    }
  }

  static String dataUrl(String html) {
    return "data:text/html;charset=utf-8," + URLEncoder.encode(html, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static BufferedImage png(byte[] bytes) throws IOException {
    assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(image).isNotNull();
    return image;
  }
}
