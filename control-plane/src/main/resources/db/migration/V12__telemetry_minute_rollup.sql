-- Per build, hardware class and minute (of the batch's window end): the sums and the merged latency histogram of
-- every stored telemetry batch, maintained when a batch is ingested. A build's aggregate reads its minutes instead of
-- every batch its devices ever sent (which grows without bound).
CREATE TABLE telemetry_minute (
    build_key        VARCHAR(64)  NOT NULL,
    hardware_class   VARCHAR(64)  NOT NULL,
    minute           TIMESTAMPTZ  NOT NULL,
    batches          BIGINT       NOT NULL,
    inference_count  BIGINT       NOT NULL,
    labelled_count   BIGINT       NOT NULL,
    correct_count    BIGINT       NOT NULL,
    reference_count  BIGINT       NOT NULL,
    agreement_count  BIGINT       NOT NULL,
    error_count      BIGINT       NOT NULL,
    last_report_at   TIMESTAMPTZ  NOT NULL,
    -- merged HdrHistogram (compressed, base64); NULL while no batch of the minute carried one
    histogram        TEXT,
    -- set for minutes backfilled below: the service re-merges their histograms from telemetry_batch at start
    histogram_stale  BOOLEAN      NOT NULL DEFAULT FALSE,
    PRIMARY KEY (build_key, hardware_class, minute)
);

-- the devices that reported on a build (distinct device counts)
CREATE TABLE telemetry_build_device (
    build_key       VARCHAR(64)  NOT NULL,
    hardware_class  VARCHAR(64)  NOT NULL,
    device_id       VARCHAR(128) NOT NULL,
    PRIMARY KEY (build_key, hardware_class, device_id)
);

INSERT INTO telemetry_minute (build_key, hardware_class, minute, batches, inference_count, labelled_count,
    correct_count, reference_count, agreement_count, error_count, last_report_at, histogram, histogram_stale)
SELECT build_key, COALESCE(hardware_class, 'unknown'), date_trunc('minute', window_end AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       count(*), sum(inference_count), sum(labelled_count), sum(correct_count), sum(reference_count),
       sum(agreement_count), sum(error_count), max(window_end), NULL, bool_or(histogram IS NOT NULL)
  FROM telemetry_batch
 GROUP BY 1, 2, 3;

INSERT INTO telemetry_build_device (build_key, hardware_class, device_id)
SELECT DISTINCT build_key, COALESCE(hardware_class, 'unknown'), device_id FROM telemetry_batch;
