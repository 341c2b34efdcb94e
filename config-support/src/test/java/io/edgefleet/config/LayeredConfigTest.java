package io.edgefleet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredConfigTest {

  enum Key implements ConfigKey {
    FILE("svc.config", "", "properties file"),
    ENDPOINT("svc.s3.endpoint", null, "S3 endpoint"),
    TIMEOUT("svc.build-timeout", "10m", "build time limit"),
    THREADS("svc.threads", "2", "threads"),
    CREATE("svc.create-topics", "true", "create topics");

    private final Spec spec;

    Key(String property, String defaultValue, String description) {
      this.spec = new Spec(property, defaultValue, description);
    }

    @Override
    public Spec spec() {
      return spec;
    }
  }

  /** The service's own exception type, as a service would pass it. */
  static final class ServiceException extends RuntimeException {
    ServiceException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static LayeredConfig config(Map<String, String> sys, Map<String, String> env) {
    return LayeredConfig.of(sys, env, Key.FILE, ServiceException::new);
  }

  @Test
  void shouldPreferSystemPropertiesThenEnvironmentThenFileThenDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("svc.properties");
    Files.writeString(file, "svc.threads=7\nsvc.build-timeout=3m\nsvc.s3.endpoint=http://file:9000\n");
    LayeredConfig c = config(Map.of("svc.config", file.toString(), "svc.s3.endpoint", "http://sys:9000"),
        Map.of("SVC_S3_ENDPOINT", "http://env:9000", "SVC_THREADS", "5", "SVC_CREATE_TOPICS", "  "));

    assertThat(c.httpUrl(Key.ENDPOINT)).isEqualTo(URI.create("http://sys:9000"));
    assertThat(c.integer(Key.THREADS)).isEqualTo(5);
    assertThat(c.duration(Key.TIMEOUT, ChronoUnit.MILLIS)).isEqualTo(Duration.ofMinutes(3));
    assertThat(c.bool(Key.CREATE)).as("blank counts as unset: the default applies").isTrue();
    assertThat(Key.ENDPOINT.environmentVariable()).isEqualTo("SVC_S3_ENDPOINT");
  }

  @Test
  void shouldNameEveryMissingRequiredKeyAndEveryBadValueWithTheServicesException() {
    LayeredConfig empty = config(Map.of(), Map.of());
    assertThatThrownBy(() -> empty.requireAll(List.of(Key.values()))).isInstanceOf(ServiceException.class)
        .hasMessageContaining("svc.s3.endpoint (env SVC_S3_ENDPOINT): S3 endpoint")
        .hasMessageNotContaining("svc.threads");
    assertThatThrownBy(() -> empty.getOrDefault(Key.ENDPOINT)).isInstanceOf(ServiceException.class)
        .hasMessageContaining("missing required setting svc.s3.endpoint");

    LayeredConfig bad = config(Map.of("svc.s3.endpoint", "ftp://x", "svc.threads", "two", "svc.build-timeout", "soon",
        "svc.create-topics", "yes"), Map.of());
    assertThatThrownBy(() -> bad.httpUrl(Key.ENDPOINT)).isInstanceOf(ServiceException.class)
        .hasMessageContaining("svc.s3.endpoint (env SVC_S3_ENDPOINT): must be an http(s) URL");
    assertThatThrownBy(() -> bad.integer(Key.THREADS)).hasMessageContaining("not an integer: 'two'");
    assertThatThrownBy(() -> bad.duration(Key.TIMEOUT, null)).hasMessageContaining("not a duration: 'soon'");
    assertThatThrownBy(() -> bad.bool(Key.CREATE)).hasMessageContaining("must be true or false");
  }

  @Test
  void shouldFailClearlyWhenTheNamedFileCannotBeRead(@TempDir Path dir) {
    Path absent = dir.resolve("absent.properties");
    assertThatThrownBy(() -> config(Map.of("svc.config", absent.toString()), Map.of()))
        .isInstanceOf(ServiceException.class).hasMessageContaining("cannot read config file")
        .hasMessageContaining("absent.properties");
  }

  @Test
  void shouldParseTheDurationForms() {
    assertThat(Durations.parse("500ms", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s", null)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2m", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse(" 1H ", null)).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("7d", null)).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("pt90s", null)).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1500", ChronoUnit.MILLIS)).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("45", ChronoUnit.SECONDS)).isEqualTo(Duration.ofSeconds(45));
    assertThatThrownBy(() -> Durations.parse("1500", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a duration: '1500'");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999s", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("-5s", null)).isInstanceOf(IllegalArgumentException.class);
  }
}
