-- Measured model analysis (per-layer sensitivity / size / latency from the quantizer workers) and the planner's
-- explanation of every per-class plan.

-- ---- analysis status per model version (PENDING until a worker answers, READY or FAILED)
ALTER TABLE model
    ADD COLUMN analysis_status         VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    ADD COLUMN analysis_requested_at   TIMESTAMPTZ,
    ADD COLUMN analysis_updated_at     TIMESTAMPTZ,
    ADD COLUMN analysis_error_code     VARCHAR(64),
    ADD COLUMN analysis_error_message  TEXT,
    ADD COLUMN analysis_retriable      BOOLEAN;
CREATE INDEX model_analysis_status_idx ON model (analysis_status);

-- ---- the measured layer table of a READY analysis (one row per model version)
CREATE TABLE model_analysis (
    model_id             VARCHAR(36)  PRIMARY KEY REFERENCES model (id) ON DELETE CASCADE,
    model_sha256         VARCHAR(64)  NOT NULL,
    worker_id            VARCHAR(128),
    float_size_bytes     BIGINT       NOT NULL,
    fixed_bytes          BIGINT       NOT NULL,
    sensitivity_samples  INTEGER      NOT NULL,
    latency_host         TEXT,
    duration_millis      BIGINT       NOT NULL,
    completed_at         TIMESTAMPTZ  NOT NULL,
    received_at          TIMESTAMPTZ  NOT NULL,
    -- List<LayerAnalysis> as the event carries it (layerId, opType, paramCount, macs, tieGroup, options)
    layers               JSONB        NOT NULL
);

-- ---- explanation of the plan chosen for a build (objective, constraints and their origin, predictions, baselines)
ALTER TABLE build
    ADD COLUMN explanation_json  TEXT;

-- ---- per rollout and hardware class: the plan, its build and why
CREATE TABLE rollout_class_plan (
    rollout_id        VARCHAR(36)  NOT NULL REFERENCES rollout (id) ON DELETE CASCADE,
    hardware_class    VARCHAR(64)  NOT NULL,
    build_key         VARCHAR(64)  NOT NULL,
    plan_hash         VARCHAR(64)  NOT NULL,
    mode              VARCHAR(32)  NOT NULL,
    explanation_json  TEXT         NOT NULL,
    planned_at        TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (rollout_id, hardware_class)
);
