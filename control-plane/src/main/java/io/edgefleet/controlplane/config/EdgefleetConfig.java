package io.edgefleet.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the control plane (prefix {@code edgefleet}); parsed and validated once at start-up. */
@ConfigMapping(prefix = "edgefleet")
public interface EdgefleetConfig {

  /** Object storage (S3 API through the MinIO SDK). */
  S3 s3();

  Devices devices();

  Models models();

  Rollouts rollouts();

  Planning planning();

  Messaging messaging();

  /** CloudEvents {@code source} attribute of every event this service publishes. */
  @WithDefault("/control-plane")
  String eventSource();

  interface S3 {
    /** S3 endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault("edgefleet")
    String bucket();

    /** Region sent with requests; S3-compatible servers usually accept the default. */
    @WithDefault("us-east-1")
    String region();

    /** Lifetime of presigned download URLs handed to devices (only inside the device's own assignment). */
    @WithDefault("PT5M")
    Duration presignExpiry();

    /**
     * Base URL devices use to reach object storage, when it differs from {@link #endpoint()} (e.g. a public
     * hostname). Presigned URLs are signed for this host.
     */
    Optional<String> publicEndpoint();
  }

  interface Devices {
    /** Poll interval handed to agents at registration and with every assignment. */
    @WithDefault("2")
    int pollIntervalSeconds();

    /**
     * A device not heard from for longer is OVERDUE. Polls are heartbeats, recorded at a 15 s resolution: keep this
     * well above the poll interval plus that resolution.
     */
    @WithDefault("PT1M")
    java.time.Duration overdueAfter();

    /** Per-device request limits on the device-facing endpoints. */
    RateLimit rateLimit();
  }

  interface RateLimit {
    @WithDefault("true")
    boolean enabled();

    /** Sustained requests per second each device (or, before enrolment, each client address) may make. */
    @WithDefault("5")
    double requestsPerSecond();

    /** Requests a device may make in a burst above the sustained rate. */
    @WithDefault("30")
    int burst();
  }

  interface Rollouts {
    /** How often every running or paused rollout is re-evaluated (thresholds, gates, late devices). */
    @WithDefault("PT5S")
    Duration evaluationInterval();

    /** Event-driven evaluations requested within this delay are coalesced into one per rollout. */
    @WithDefault("PT0.2S")
    Duration eventEvaluationDelay();
  }

  /** Consuming events from Kafka. */
  interface Messaging {
    /**
     * How long a record whose processing fails because the database is unreachable is retried (capped exponential
     * backoff) before it is dead-lettered as {@code event.store-unavailable}. Until then the partition waits: the
     * records stay in Kafka, nothing is lost. Must stay below the channels' {@code unprocessed-record-max-age}.
     */
    @WithDefault("PT5M")
    Duration storeRetryFor();

    /** Longest pause between two attempts while the database is unreachable. */
    @WithDefault("PT5S")
    Duration storeRetryMaxBackoff();
  }

  /** Per-layer precision planning with the OR-Tools planner. */
  interface Planning {
    /** Wall-clock limit of one planner call (all lexicographic stages); a plan found by then is used as FEASIBLE. */
    @WithDefault("PT10S")
    Duration timeLimit();

    /** Share of a device's free storage one model may take (the agent keeps A/B slots and a telemetry spool). */
    @WithDefault("0.10")
    double storageFraction();

    /** Share of a device's RAM one model may take (memory-mapped model plus the interpreter's arena on top). */
    @WithDefault("0.25")
    double ramFraction();

    /** Budgets swept by {@code GET /api/models/{id}/pareto} (2..51). */
    @WithDefault("21")
    int paretoSteps();
  }

  interface Models {
    /** Largest accepted float .tflite upload. */
    @WithDefault("104857600")
    long maxModelBytes();

    /** Largest accepted sample-set (.efs) upload, per file. */
    @WithDefault("134217728")
    long maxSamplesBytes();
  }
}
