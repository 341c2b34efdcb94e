-- Control-plane state for the walking skeleton: devices, models, builds, rollouts, desired state, telemetry batches.

CREATE TABLE device (
    id              VARCHAR(128) PRIMARY KEY,
    name            VARCHAR(256),
    hardware_class  VARCHAR(64) NOT NULL,
    hardware_json   TEXT         NOT NULL,
    agent_version   VARCHAR(64),
    registered_at   TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    last_seen_at    TIMESTAMPTZ  NOT NULL
);
CREATE INDEX device_hardware_class_idx ON device (hardware_class);

CREATE TABLE device_attribute (
    device_id  VARCHAR(128) NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    name       VARCHAR(128) NOT NULL,
    value      VARCHAR(512) NOT NULL,
    PRIMARY KEY (device_id, name)
);
CREATE INDEX device_attribute_name_value_idx ON device_attribute (name, value);

CREATE TABLE model (
    id                   VARCHAR(36)  PRIMARY KEY,
    name                 VARCHAR(128) NOT NULL,
    version              INTEGER      NOT NULL,
    sha256               VARCHAR(64)    NOT NULL,
    size_bytes           BIGINT       NOT NULL,
    object_key           VARCHAR(256) NOT NULL,
    calibration_sha256   VARCHAR(64)    NOT NULL,
    calibration_key      VARCHAR(256) NOT NULL,
    calibration_samples  INTEGER      NOT NULL,
    eval_sha256          VARCHAR(64)    NOT NULL,
    eval_key             VARCHAR(256) NOT NULL,
    eval_samples         INTEGER      NOT NULL,
    input_shape          VARCHAR(128) NOT NULL,
    input_type           VARCHAR(32)  NOT NULL,
    output_shape         VARCHAR(128) NOT NULL,
    operator_count       INTEGER      NOT NULL,
    op_counts_json       TEXT         NOT NULL,
    total_macs           BIGINT       NOT NULL,
    total_parameters     BIGINT       NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL,
    CONSTRAINT model_name_version_uq UNIQUE (name, version)
);
CREATE INDEX model_sha256_idx ON model (sha256);

CREATE TABLE build (
    build_key                VARCHAR(64) PRIMARY KEY,
    model_id                 VARCHAR(36),
    model_sha256             VARCHAR(64),
    plan_hash                VARCHAR(64),
    mode                     VARCHAR(32),
    plan_json                TEXT,
    status                   VARCHAR(16)  NOT NULL,
    requested_at             TIMESTAMPTZ  NOT NULL,
    finished_at              TIMESTAMPTZ,
    artifact_key             VARCHAR(256),
    artifact_sha256          VARCHAR(64),
    size_bytes               BIGINT,
    signature                TEXT,
    signing_key_id           VARCHAR(128),
    reference_key            VARCHAR(256),
    metrics_json             TEXT,
    worker_id                VARCHAR(128),
    duration_millis          BIGINT,
    failure_code             VARCHAR(64),
    failure_message          TEXT
);

CREATE TABLE rollout (
    id                    VARCHAR(36)  PRIMARY KEY,
    name                  VARCHAR(128) NOT NULL,
    model_id              VARCHAR(36)  NOT NULL REFERENCES model (id),
    filter_hardware_class VARCHAR(64),
    filter_json           TEXT         NOT NULL,
    max_accuracy_drop     DOUBLE PRECISION NOT NULL,
    status                VARCHAR(16)  NOT NULL,
    created_at            TIMESTAMPTZ  NOT NULL,
    finished_at           TIMESTAMPTZ
);

CREATE TABLE rollout_device (
    rollout_id      VARCHAR(36)  NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    device_id       VARCHAR(128) NOT NULL REFERENCES device (id),
    hardware_class  VARCHAR(64) NOT NULL,
    build_key       VARCHAR(64) NOT NULL,
    plan_mode       VARCHAR(32)  NOT NULL,
    status          VARCHAR(24)  NOT NULL,
    reason          TEXT,
    revision        BIGINT,
    updated_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (rollout_id, device_id)
);
CREATE INDEX rollout_device_build_status_idx ON rollout_device (build_key, status);
CREATE INDEX rollout_device_device_idx ON rollout_device (device_id);

CREATE TABLE desired_state (
    device_id          VARCHAR(128) PRIMARY KEY REFERENCES device (id),
    revision           BIGINT       NOT NULL,
    rollout_id         VARCHAR(36),
    build_key          VARCHAR(64),
    max_accuracy_drop  DOUBLE PRECISION NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL
);

CREATE TABLE telemetry_batch (
    device_id        VARCHAR(128) NOT NULL,
    sequence         BIGINT       NOT NULL,
    build_key        VARCHAR(64) NOT NULL,
    rollout_id       VARCHAR(36),
    hardware_class   VARCHAR(64),
    window_start     TIMESTAMPTZ  NOT NULL,
    window_end       TIMESTAMPTZ  NOT NULL,
    inference_count  BIGINT       NOT NULL,
    p50_micros       DOUBLE PRECISION NOT NULL,
    p95_micros       DOUBLE PRECISION NOT NULL,
    p99_micros       DOUBLE PRECISION NOT NULL,
    max_micros       DOUBLE PRECISION NOT NULL,
    mean_micros      DOUBLE PRECISION NOT NULL,
    histogram        TEXT,
    labelled_count   BIGINT       NOT NULL,
    correct_count    BIGINT       NOT NULL,
    reference_count  BIGINT       NOT NULL,
    agreement_count  BIGINT       NOT NULL,
    error_count      BIGINT       NOT NULL,
    threads          INTEGER      NOT NULL,
    received_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (device_id, sequence)
);
CREATE INDEX telemetry_batch_build_idx ON telemetry_batch (build_key, window_end);
