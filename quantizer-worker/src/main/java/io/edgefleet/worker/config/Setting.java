package io.edgefleet.worker.config;

import io.edgefleet.config.ConfigKey;

/**
 * Every configuration key of the worker, with its default and description. A key {@code worker.a.b-c} is read, in
 * this order, from the system property {@code -Dworker.a.b-c=…}, the environment variable {@code WORKER_A_B_C}, the
 * properties file named by {@link #CONFIG_FILE}, and finally the default. Keys without a default are required.
 */
public enum Setting implements ConfigKey {
  CONFIG_FILE("worker.config", "", "optional Java properties file holding any of the keys below"),
  KAFKA_BOOTSTRAP_SERVERS("worker.kafka.bootstrap-servers", null, "Kafka bootstrap servers, host:port[,host:port]"),
  KAFKA_GROUP_ID("worker.kafka.group-id", "quantizer-workers", "consumer group shared by all workers"),
  KAFKA_MAX_POLL_INTERVAL("worker.kafka.max-poll-interval", "15m",
      "max.poll.interval.ms of the consumer; must exceed build-timeout by at least one minute"),
  WORKER_ID("worker.id", "", "identity in results and logs; default <host>-<pid>"),
  S3_ENDPOINT("worker.s3.endpoint", null, "S3-compatible endpoint URL, e.g. http://127.0.0.1:9000"),
  S3_ACCESS_KEY("worker.s3.access-key", null, "S3 access key"),
  S3_SECRET_KEY("worker.s3.secret-key", null, "S3 secret key"),
  S3_BUCKET("worker.s3.bucket", "edgefleet", "bucket holding models, samples, builds, references and manifests"),
  S3_REGION("worker.s3.region", "us-east-1", "S3 region sent with signed requests"),
  SIGNING_PRIVATE_KEY("worker.signing.private-key", null, "path of the Ed25519 PKCS#8 private key PEM signing builds"),
  SIGNING_PUBLIC_KEY("worker.signing.public-key", null, "path of the matching public key PEM (gives the key id)"),
  INTERPRETER_THREADS("worker.interpreter-threads", "", "TFLite interpreter threads; default min(2, cores)"),
  BUILD_TIMEOUT("worker.build-timeout", "10m", "wall-time limit of one build, downloads and uploads included"),
  RETRY_INITIAL_BACKOFF("worker.retry.initial-backoff", "500ms", "first pause after a transient storage error"),
  RETRY_MAX_BACKOFF("worker.retry.max-backoff", "30s", "longest pause between two attempts"),
  RETRY_MAX_ELAPSED("worker.retry.max-elapsed", "2m",
      "give up retrying one storage operation after this long and report a retriable BuildFailed"),
  EVAL_WARMUP_RUNS("worker.eval.warmup-runs", "5", "untimed inferences before latency is measured"),
  POLL_TIMEOUT("worker.kafka.poll-timeout", "1s", "how long one consumer poll blocks"),
  ANALYSIS_SENSITIVITY_SAMPLES("worker.analysis.sensitivity-samples", "250",
      "calibration samples (evenly spaced) the per-layer forward-pass sensitivity is measured on"),
  ANALYSIS_LATENCY_RUNS("worker.analysis.latency-runs", "50",
      "timed inferences per model for the per-layer host latency table; 0 = no latency table"),
  ANALYSIS_LATENCY_METHOD("worker.analysis.latency-method", "apportioned",
      "how the latency table is measured: apportioned (uniform models, p50 split by work) or per-layer (every layer x "
          + "precision timed as a single-operator model; slower, more faithful)"),
  ANALYSIS_TIMEOUT("worker.analysis.timeout", "",
      "wall-time limit of one model analysis, downloads and uploads included; default = worker.build-timeout");

  private final Spec spec;

  Setting(String property, String defaultValue, String description) {
    this.spec = new Spec(property, defaultValue, description);
  }

  @Override
  public Spec spec() {
    return spec;
  }
}
