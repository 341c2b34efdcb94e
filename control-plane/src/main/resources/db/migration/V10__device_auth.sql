-- Device authentication (Mender-like auth sets): one row per (device id, public key) seen at enrolment.
-- Numbered 10 to stay clear of the schema versions other features add in between.
CREATE TABLE device_auth_set (
    id                 VARCHAR(36)  PRIMARY KEY,
    device_id          VARCHAR(128) NOT NULL,
    key_id             VARCHAR(64)  NOT NULL,
    public_key         TEXT         NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    registration_json  TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    updated_at         TIMESTAMPTZ  NOT NULL,
    last_auth_at       TIMESTAMPTZ,
    CONSTRAINT device_auth_set_key_uq UNIQUE (device_id, key_id),
    CONSTRAINT device_auth_set_status_ck CHECK (status IN ('PENDING', 'ACCEPTED', 'PREAUTHORIZED', 'REJECTED'))
);
CREATE INDEX device_auth_set_status_idx ON device_auth_set (status, created_at);
