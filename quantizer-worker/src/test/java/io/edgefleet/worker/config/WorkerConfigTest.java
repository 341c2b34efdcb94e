package io.edgefleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

  private static Map<String, String> required() {
    Map<String, String> m = new HashMap<>();
    m.put("worker.kafka.bootstrap-servers", "127.0.0.1:9092");
    m.put("worker.s3.endpoint", "http://127.0.0.1:9000");
    m.put("worker.s3.access-key", "ak");
    m.put("worker.s3.secret-key", "sk-secret");
    m.put("worker.signing.private-key", "/keys/priv.pem");
    m.put("worker.signing.public-key", "/keys/pub.pem");
    return m;
  }

  @Test
  void shouldApplyDefaultsWhenOnlyRequiredKeysAreSet() {
    WorkerConfig c = WorkerConfig.from(WorkerConfig.source(required(), Map.of()));

    assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.groupId()).isEqualTo("quantizer-workers");
    assertThat(c.workerId()).endsWith("-" + ProcessHandle.current().pid());
    assertThat(c.s3().bucket()).isEqualTo("edgefleet");
    assertThat(c.s3().endpoint().toString()).isEqualTo("http://127.0.0.1:9000");
    assertThat(c.signingPrivateKey()).isEqualTo(Path.of("/keys/priv.pem"));
    assertThat(c.buildTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.maxPollInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.retry().maxElapsed()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.interpreterThreads()).isBetween(1, 2);
    assertThat(c.evalWarmupRuns()).isEqualTo(5);
  }

  @Test
  void shouldPreferSystemPropertiesOverEnvironmentOverFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("worker.properties");
    Files.writeString(file, "worker.kafka.group-id=from-file\nworker.id=file-id\nworker.s3.bucket=file-bucket\n");
    Map<String, String> sys = required();
    sys.put("worker.config", file.toString());
    sys.put("worker.kafka.group-id", "from-sysprop");
    Map<String, String> env = Map.of("WORKER_KAFKA_GROUP_ID", "from-env", "WORKER_ID", "env-id");

    WorkerConfig c = WorkerConfig.from(WorkerConfig.source(sys, env));

    assertThat(c.groupId()).isEqualTo("from-sysprop");
    assertThat(c.workerId()).isEqualTo("env-id");
    assertThat(c.s3().bucket()).isEqualTo("file-bucket");
  }

  @Test
  void shouldReadEverythingFromEnvironment() {
    Map<String, String> env = new HashMap<>();
    required().forEach((k, v) -> env.put(settingOf(k).environmentVariable(), v));
    env.put("WORKER_INTERPRETER_THREADS", "4");
    env.put("WORKER_BUILD_TIMEOUT", "PT3M");
    env.put("WORKER_KAFKA_MAX_POLL_INTERVAL", "240000");

    WorkerConfig c = WorkerConfig.from(WorkerConfig.source(Map.of(), env));

    assertThat(c.interpreterThreads()).isEqualTo(4);
    assertThat(c.buildTimeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(c.maxPollInterval()).isEqualTo(Duration.ofMinutes(4));
    assertThat(Setting.S3_SECRET_KEY.environmentVariable()).isEqualTo("WORKER_S3_SECRET_KEY");
  }

  @Test
  void shouldNameTheMissingRequiredKey() {
    Map<String, String> sys = required();
    sys.remove("worker.s3.endpoint");

    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(sys, Map.of())))
        .isInstanceOfSatisfying(WorkerException.class, e -> assertThat(e.code()).isEqualTo(WorkerErrorCode.INVALID_CONFIG))
        .hasMessageContaining("worker.s3.endpoint")
        .hasMessageContaining("WORKER_S3_ENDPOINT");
  }

  @Test
  void shouldListEveryMissingRequiredKeyAtOnce() {
    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(Map.of(), Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.kafka.bootstrap-servers")
        .hasMessageContaining("worker.s3.endpoint")
        .hasMessageContaining("worker.s3.access-key")
        .hasMessageContaining("worker.s3.secret-key")
        .hasMessageContaining("worker.signing.private-key")
        .hasMessageContaining("worker.signing.public-key");
  }

  @Test
  void shouldRejectInvalidValues() {
    assertInvalid("worker.kafka.bootstrap-servers", "no-port", "host:port");
    assertInvalid("worker.s3.endpoint", "ftp://x", "http(s) URL");
    assertInvalid("worker.interpreter-threads", "zero", "not an integer");
    assertInvalid("worker.interpreter-threads", "0", "[1, 64]");
    assertInvalid("worker.build-timeout", "ten minutes", "not a duration");
    assertInvalid("worker.s3.bucket", "Bad_Bucket", "bucket name");
    assertInvalid("worker.kafka.group-id", "has space", "group-id");
  }

  @Test
  void shouldRequireThePollIntervalToExceedTheBuildTimeout() {
    Map<String, String> sys = required();
    sys.put("worker.build-timeout", "20m");

    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(sys, Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.kafka.max-poll-interval");
  }

  @Test
  void shouldRequireTheRetryBudgetBelowTheBuildTimeout() {
    Map<String, String> sys = required();
    sys.put("worker.build-timeout", "1m");
    sys.put("worker.retry.max-elapsed", "2m");

    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(sys, Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.retry.max-elapsed");
  }

  @Test
  void shouldFailClearlyOnAMissingConfigFile(@TempDir Path dir) {
    Map<String, String> sys = required();
    sys.put("worker.config", dir.resolve("absent.properties").toString());

    assertThatThrownBy(() -> WorkerConfig.source(sys, Map.of()))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("absent.properties");
  }

  @Test
  void shouldNeverPrintTheSecretKey() {
    WorkerConfig c = WorkerConfig.from(WorkerConfig.source(required(), Map.of()));

    assertThat(c.toString()).doesNotContain("sk-secret").contains("secretKey=***");
  }

  @Test
  void shouldReadDurationsInSeveralNotationsAndABareNumberAsMilliseconds() {
    Map<String, String> sys = required();
    sys.put("worker.retry.initial-backoff", "1500");
    sys.put("worker.retry.max-backoff", "pt90s");
    sys.put("worker.build-timeout", "600s");
    sys.put("worker.kafka.poll-timeout", "500ms");

    WorkerConfig c = WorkerConfig.from(WorkerConfig.source(sys, Map.of()));

    assertThat(c.retry().initialBackoff()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.buildTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.pollTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  private static void assertInvalid(String key, String value, String expectedMessage) {
    Map<String, String> sys = required();
    sys.put(key, value);
    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(sys, Map.of())))
        .as(key + "=" + value)
        .isInstanceOfSatisfying(WorkerException.class, e -> assertThat(e.code()).isEqualTo(WorkerErrorCode.INVALID_CONFIG))
        .hasMessageContaining(key)
        .hasMessageContaining(expectedMessage);
  }

  private static Setting settingOf(String property) {
    for (Setting s : Setting.values()) {
      if (s.property().equals(property)) {
        return s;
      }
    }
    throw new IllegalArgumentException(property);
  }

  @Test
  void shouldApplyAnalysisDefaultsAndReadOverrides() {
    WorkerConfig defaults = WorkerConfig.from(WorkerConfig.source(required(), Map.of()));
    Map<String, String> shortBuilds = required();
    shortBuilds.put("worker.build-timeout", "3m");
    shortBuilds.put("worker.kafka.max-poll-interval", "5m");
    Map<String, String> m = required();
    m.put("worker.analysis.sensitivity-samples", "64");
    m.put("worker.analysis.latency-runs", "0");
    m.put("worker.analysis.timeout", "3m");
    m.put("worker.analysis.latency-method", "per-layer");
    WorkerConfig custom = WorkerConfig.from(WorkerConfig.source(m, Map.of()));

    assertThat(defaults.analysis())
        .isEqualTo(new WorkerConfig.AnalysisSettings(250, 50, LatencyMethod.APPORTIONED, Duration.ofMinutes(10)));
    // the analysis timeout follows the build timeout unless set
    assertThat(WorkerConfig.from(WorkerConfig.source(shortBuilds, Map.of())).analysis().timeout())
        .isEqualTo(Duration.ofMinutes(3));
    assertThat(custom.analysis()).isEqualTo(new WorkerConfig.AnalysisSettings(64, 0, LatencyMethod.PER_LAYER, Duration.ofMinutes(3)));
  }

  @Test
  void shouldRejectInvalidAnalysisSettings() {
    Map<String, String> zeroSamples = required();
    zeroSamples.put("worker.analysis.sensitivity-samples", "0");
    Map<String, String> badMethod = required();
    badMethod.put("worker.analysis.latency-method", "guess");
    Map<String, String> longAnalysis = required();
    longAnalysis.put("worker.analysis.timeout", "20m");

    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(zeroSamples, Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.analysis.sensitivity-samples");
    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(badMethod, Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.analysis.latency-method");
    // the default max-poll-interval (15m) must exceed the longest job timeout by a minute
    assertThatThrownBy(() -> WorkerConfig.from(WorkerConfig.source(longAnalysis, Map.of())))
        .isInstanceOf(WorkerException.class)
        .hasMessageContaining("worker.kafka.max-poll-interval");
  }
}
