package io.edgefleet.worker.config;

import io.edgefleet.quantizer.mixed.LatencyMethod;
import io.edgefleet.quantizer.mixed.QuantizerCliException;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.retry.RetryPolicy;
import io.edgefleet.config.LayeredConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The worker's typed configuration, parsed and validated once at start-up (see {@link Setting} for keys, sources and
 * defaults).
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers
 * @param groupId consumer group id
 * @param workerId identity of this worker in results and logs
 * @param maxPollInterval consumer {@code max.poll.interval.ms}
 * @param pollTimeout how long one poll blocks
 * @param s3 object storage access
 * @param signingPrivateKey Ed25519 private key PEM
 * @param signingPublicKey matching public key PEM
 * @param interpreterThreads TFLite interpreter threads for calibration and evaluation
 * @param buildTimeout wall-time limit of one build
 * @param retry backoff for transient storage errors
 * @param evalWarmupRuns untimed inferences before latency measurement
 * @param analysis model analysis settings
 */
public record WorkerConfig(
    String kafkaBootstrapServers,
    String groupId,
    String workerId,
    Duration maxPollInterval,
    Duration pollTimeout,
    S3Settings s3,
    Path signingPrivateKey,
    Path signingPublicKey,
    int interpreterThreads,
    Duration buildTimeout,
    RetryPolicy retry,
    int evalWarmupRuns,
    AnalysisSettings analysis) {

  private static final Pattern GROUP_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  /** Margin between the build timeout and the consumer's max poll interval: result publishing and commit. */
  static final Duration POLL_MARGIN = Duration.ofMinutes(1);

  public WorkerConfig {
    require(kafkaBootstrapServers != null && kafkaBootstrapServers.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*"),
        Setting.KAFKA_BOOTSTRAP_SERVERS, "must be host:port[,host:port], got '" + kafkaBootstrapServers + "'");
    require(groupId != null && GROUP_ID.matcher(groupId).matches(), Setting.KAFKA_GROUP_ID,
        "must be 1-200 characters of [A-Za-z0-9._-], got '" + groupId + "'");
    require(workerId != null && !workerId.isBlank(), Setting.WORKER_ID, "must not be blank");
    require(s3 != null, Setting.S3_ENDPOINT, "S3 settings are required");
    require(signingPrivateKey != null, Setting.SIGNING_PRIVATE_KEY, "is required");
    require(signingPublicKey != null, Setting.SIGNING_PUBLIC_KEY, "is required");
    require(interpreterThreads >= 1 && interpreterThreads <= 64, Setting.INTERPRETER_THREADS,
        "must be in [1, 64], got " + interpreterThreads);
    require(buildTimeout != null && buildTimeout.compareTo(Duration.ofSeconds(1)) >= 0, Setting.BUILD_TIMEOUT,
        "must be at least 1s");
    require(analysis != null, Setting.ANALYSIS_TIMEOUT, "analysis settings are required");
    Duration longestJob = buildTimeout.compareTo(analysis.timeout()) >= 0 ? buildTimeout : analysis.timeout();
    require(maxPollInterval != null && maxPollInterval.compareTo(longestJob.plus(POLL_MARGIN)) >= 0
            && maxPollInterval.toMillis() <= Integer.MAX_VALUE,
        Setting.KAFKA_MAX_POLL_INTERVAL,
        "must be at least max(build-timeout, analysis.timeout) + " + POLL_MARGIN.toSeconds() + "s ("
            + longestJob.plus(POLL_MARGIN)
            + ") and fit in an int of milliseconds, got " + maxPollInterval);
    require(pollTimeout != null && pollTimeout.toMillis() >= 10 && pollTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
        Setting.POLL_TIMEOUT, "must be between 10ms and 1m");
    require(retry != null, Setting.RETRY_MAX_ELAPSED, "retry policy is required");
    require(retry.maxElapsed().compareTo(buildTimeout) < 0, Setting.RETRY_MAX_ELAPSED,
        "must be shorter than build-timeout (" + buildTimeout + "), got " + retry.maxElapsed());
    require(retry.maxElapsed().compareTo(analysis.timeout()) < 0, Setting.RETRY_MAX_ELAPSED,
        "must be shorter than analysis.timeout (" + analysis.timeout() + "), got " + retry.maxElapsed());
    require(evalWarmupRuns >= 0 && evalWarmupRuns <= 1000, Setting.EVAL_WARMUP_RUNS, "must be in [0, 1000]");
  }

  /** Parses the JVM's system properties, environment and optional properties file. */
  public static WorkerConfig load() {
    return from(LayeredConfig.fromSystem(Setting.CONFIG_FILE, WorkerConfig::configError));
  }

  /** The worker's settings over the given system properties and environment (and the file they name); for tests. */
  public static LayeredConfig source(Map<String, String> systemProperties, Map<String, String> environment) {
    return LayeredConfig.of(systemProperties, environment, Setting.CONFIG_FILE, WorkerConfig::configError);
  }

  /** Parses and validates a configuration; throws {@link WorkerException} INVALID_CONFIG naming the bad key. */
  public static WorkerConfig from(LayeredConfig source) {
    source.requireAll(List.of(Setting.values()));
    S3Settings s3 =
        new S3Settings(
            source.httpUrl(Setting.S3_ENDPOINT),
            source.getOrDefault(Setting.S3_ACCESS_KEY),
            source.getOrDefault(Setting.S3_SECRET_KEY),
            source.getOrDefault(Setting.S3_BUCKET),
            source.getOrDefault(Setting.S3_REGION));
    String threads = source.getOrDefault(Setting.INTERPRETER_THREADS);
    String workerId = source.getOrDefault(Setting.WORKER_ID);
    Duration buildTimeout = source.duration(Setting.BUILD_TIMEOUT, ChronoUnit.MILLIS);
    return new WorkerConfig(
        source.getOrDefault(Setting.KAFKA_BOOTSTRAP_SERVERS),
        source.getOrDefault(Setting.KAFKA_GROUP_ID),
        workerId.isEmpty() ? defaultWorkerId() : workerId,
        source.duration(Setting.KAFKA_MAX_POLL_INTERVAL, ChronoUnit.MILLIS),
        source.duration(Setting.POLL_TIMEOUT, ChronoUnit.MILLIS),
        s3,
        Path.of(source.getOrDefault(Setting.SIGNING_PRIVATE_KEY)),
        Path.of(source.getOrDefault(Setting.SIGNING_PUBLIC_KEY)),
        threads.isEmpty() ? Math.min(2, Runtime.getRuntime().availableProcessors())
            : source.integer(Setting.INTERPRETER_THREADS),
        buildTimeout,
        new RetryPolicy(
            source.duration(Setting.RETRY_INITIAL_BACKOFF, ChronoUnit.MILLIS),
            source.duration(Setting.RETRY_MAX_BACKOFF, ChronoUnit.MILLIS),
            source.duration(Setting.RETRY_MAX_ELAPSED, ChronoUnit.MILLIS)),
        source.integer(Setting.EVAL_WARMUP_RUNS),
        new AnalysisSettings(
            source.integer(Setting.ANALYSIS_SENSITIVITY_SAMPLES),
            source.integer(Setting.ANALYSIS_LATENCY_RUNS),
            latencyMethod(source),
            source.getOrDefault(Setting.ANALYSIS_TIMEOUT).isEmpty()
                ? buildTimeout
                : source.duration(Setting.ANALYSIS_TIMEOUT, ChronoUnit.MILLIS)));
  }

  /** {@code <host>-<pid>}. */
  public static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "worker");
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  private static LatencyMethod latencyMethod(LayeredConfig source) {
    String v = source.getOrDefault(Setting.ANALYSIS_LATENCY_METHOD);
    try {
      return LatencyMethod.fromKey(v);
    } catch (QuantizerCliException e) {
      throw invalid(Setting.ANALYSIS_LATENCY_METHOD, "must be apportioned or per-layer, got '" + v + "'", e);
    }
  }

  private static void require(boolean condition, Setting setting, String message) {
    if (!condition) {
      throw invalid(setting, message, null);
    }
  }

  private static WorkerException invalid(Setting setting, String message, Throwable cause) {
    return configError(setting.displayName() + ": " + message, cause);
  }

  private static WorkerException configError(String message, Throwable cause) {
    return new WorkerException(WorkerErrorCode.INVALID_CONFIG, message, cause);
  }

  /**
   * Object storage access.
   *
   * @param endpoint S3 endpoint URL
   * @param accessKey access key
   * @param secretKey secret key (never printed)
   * @param bucket bucket name
   * @param region region used in request signatures
   */
  public record S3Settings(URI endpoint, String accessKey, String secretKey, String bucket, String region) {
    public S3Settings {
      require(endpoint != null, Setting.S3_ENDPOINT, "is required");
      require(accessKey != null && !accessKey.isBlank(), Setting.S3_ACCESS_KEY, "must not be blank");
      require(secretKey != null && !secretKey.isBlank(), Setting.S3_SECRET_KEY, "must not be blank");
      require(bucket != null && bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), Setting.S3_BUCKET,
          "must be a valid bucket name, got '" + bucket + "'");
      require(region != null && !region.isBlank(), Setting.S3_REGION, "must not be blank");
    }

    @Override
    public String toString() {
      return "S3Settings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, bucket=" + bucket
          + ", region=" + region + "]";
    }
  }

  /**
   * Model analysis settings.
   *
   * @param sensitivitySamples calibration samples the forward-pass sensitivity is measured on (evenly spaced over the
   *     calibration set; all of them if it has fewer)
   * @param latencyRuns timed inferences per model for the per-layer host latency table; 0 = not measured
   * @param latencyMethod uniform models apportioned by work, or every layer timed as a single-operator model
   * @param timeout wall-time limit of one analysis
   */
  public record AnalysisSettings(int sensitivitySamples, int latencyRuns, LatencyMethod latencyMethod, Duration timeout) {
    /** Largest accepted {@link #sensitivitySamples()}. */
    public static final int MAX_SENSITIVITY_SAMPLES = 100_000;

    public AnalysisSettings {
      require(sensitivitySamples >= 1 && sensitivitySamples <= MAX_SENSITIVITY_SAMPLES,
          Setting.ANALYSIS_SENSITIVITY_SAMPLES,
          "must be in [1, " + MAX_SENSITIVITY_SAMPLES + "], got " + sensitivitySamples);
      require(latencyRuns >= 0 && latencyRuns <= 100_000, Setting.ANALYSIS_LATENCY_RUNS,
          "must be in [0, 100000], got " + latencyRuns);
      require(latencyMethod != null, Setting.ANALYSIS_LATENCY_METHOD, "is required");
      require(timeout != null && timeout.compareTo(Duration.ofSeconds(1)) >= 0, Setting.ANALYSIS_TIMEOUT,
          "must be at least 1s");
    }
  }
}
