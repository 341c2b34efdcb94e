-- Staged rollouts (groups, thresholds, SLO gates, transitions) and queryable device hardware/tags.

-- ---- devices: hardware facts as columns (queried by the device filter language), tags as rows
ALTER TABLE device
    ADD COLUMN arch             VARCHAR(32),
    ADD COLUMN os               VARCHAR(128),
    ADD COLUMN cores            INTEGER,
    ADD COLUMN ram_bytes        BIGINT,
    ADD COLUMN accelerator      VARCHAR(32),
    ADD COLUMN runtime_version  VARCHAR(64);
UPDATE device SET
    arch            = CAST(hardware_json AS jsonb) ->> 'arch',
    os              = CAST(hardware_json AS jsonb) ->> 'os',
    cores           = CAST(CAST(hardware_json AS jsonb) ->> 'cores' AS INTEGER),
    ram_bytes       = CAST(CAST(hardware_json AS jsonb) ->> 'ramBytes' AS BIGINT),
    accelerator     = CAST(hardware_json AS jsonb) -> 'accelerator' ->> 'type',
    runtime_version = CAST(hardware_json AS jsonb) ->> 'runtimeVersion';
CREATE INDEX device_arch_idx ON device (arch);
CREATE INDEX device_ram_idx ON device (ram_bytes);

CREATE TABLE device_tag (
    device_id  VARCHAR(128) NOT NULL REFERENCES device (id) ON DELETE CASCADE,
    tag        VARCHAR(128) NOT NULL,
    PRIMARY KEY (device_id, tag)
);
CREATE INDEX device_tag_tag_idx ON device_tag (tag);
INSERT INTO device_tag (device_id, tag)
SELECT DISTINCT a.device_id, trim(t.tag)
FROM device_attribute a, regexp_split_to_table(a.value, ',') AS t(tag)
WHERE a.name = 'tags' AND trim(t.tag) <> '' AND length(trim(t.tag)) <= 128;

-- ---- rollouts: gates, breach action, dynamic membership, current group
ALTER TABLE rollout
    ADD COLUMN filter_query            TEXT,
    ADD COLUMN dynamic                 BOOLEAN          NOT NULL DEFAULT TRUE,
    ADD COLUMN breach_action           VARCHAR(16)      NOT NULL DEFAULT 'PAUSE',
    ADD COLUMN gate_max_accuracy_drop  DOUBLE PRECISION,
    ADD COLUMN gate_max_p95_micros     DOUBLE PRECISION,
    ADD COLUMN gate_max_failure_rate   DOUBLE PRECISION,
    ADD COLUMN gate_min_samples        BIGINT           NOT NULL DEFAULT 1,
    ADD COLUMN current_group           INTEGER          NOT NULL DEFAULT 0,
    ADD COLUMN status_reason           TEXT,
    ADD COLUMN updated_at              TIMESTAMPTZ;
UPDATE rollout SET updated_at = COALESCE(finished_at, created_at);
ALTER TABLE rollout ALTER COLUMN updated_at SET NOT NULL;
CREATE INDEX rollout_status_idx ON rollout (status);

ALTER TABLE rollout_device
    ADD COLUMN group_index                 INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN had_previous                BOOLEAN     NOT NULL DEFAULT FALSE,
    ADD COLUMN previous_rollout_id         VARCHAR(36),
    ADD COLUMN previous_build_key          VARCHAR(64),
    ADD COLUMN previous_max_accuracy_drop  DOUBLE PRECISION;
CREATE INDEX rollout_device_group_idx ON rollout_device (rollout_id, group_index);

CREATE TABLE rollout_group (
    rollout_id         VARCHAR(36)      NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    group_index        INTEGER          NOT NULL,
    name               VARCHAR(64)      NOT NULL,
    size_percent       DOUBLE PRECISION,
    size_count         INTEGER,
    success_threshold  DOUBLE PRECISION NOT NULL,
    error_threshold    DOUBLE PRECISION NOT NULL,
    status             VARCHAR(16)      NOT NULL,
    started_at         TIMESTAMPTZ,
    completed_at       TIMESTAMPTZ,
    PRIMARY KEY (rollout_id, group_index)
);
-- rollouts created before groups existed: one group of every targeted device
INSERT INTO rollout_group (rollout_id, group_index, name, size_percent, size_count, success_threshold, error_threshold,
                           status, started_at, completed_at)
SELECT id, 0, 'all', 100, NULL, 1.0, 1.0, CASE WHEN status = 'FINISHED' THEN 'COMPLETED' ELSE 'RUNNING' END,
       created_at, finished_at
FROM rollout;

-- latest evaluation of every gate per rollout, group and build
CREATE TABLE rollout_gate_evaluation (
    rollout_id    VARCHAR(36)      NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    group_index   INTEGER          NOT NULL,
    build_key     VARCHAR(64)      NOT NULL,
    gate          VARCHAR(24)      NOT NULL,
    value         DOUBLE PRECISION,
    threshold     DOUBLE PRECISION NOT NULL,
    samples       BIGINT           NOT NULL,
    min_samples   BIGINT           NOT NULL,
    verdict       VARCHAR(16)      NOT NULL,
    evaluated_at  TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (rollout_id, group_index, build_key, gate)
);

-- every rollout status change and operator/gate action, with its reason
CREATE TABLE rollout_transition (
    id           BIGSERIAL    PRIMARY KEY,
    rollout_id   VARCHAR(36)  NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    at           TIMESTAMPTZ  NOT NULL,
    action       VARCHAR(24)  NOT NULL,
    from_status  VARCHAR(16)  NOT NULL,
    to_status    VARCHAR(16)  NOT NULL,
    group_index  INTEGER,
    reason       TEXT
);
CREATE INDEX rollout_transition_rollout_idx ON rollout_transition (rollout_id, id);
