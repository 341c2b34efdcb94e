-- The latest per-operator profile each device measured on a build (telemetry batches carry one now and then). A
-- build's per-operator view per hardware class aggregates these rows: one per device, replaced by newer profiles.
CREATE TABLE device_op_profile (
    build_key       VARCHAR(64)  NOT NULL,
    device_id       VARCHAR(128) NOT NULL,
    hardware_class  VARCHAR(64)  NOT NULL,
    profiled_at     TIMESTAMPTZ  NOT NULL,
    runs            INTEGER      NOT NULL,
    -- JSON array of the batch's OpTiming records, in execution order
    ops             TEXT         NOT NULL,
    PRIMARY KEY (build_key, device_id)
);
CREATE INDEX device_op_profile_build ON device_op_profile (build_key, hardware_class);
