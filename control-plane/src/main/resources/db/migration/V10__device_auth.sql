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

-- Enrolment requests already used (sha256 of the signature) inside the replay window: a captured request cannot be
-- replayed for a token. Rows older than the window are purged by the enrolments themselves.
CREATE TABLE device_enrolment_seen (
    signature_sha256  VARCHAR(64) PRIMARY KEY,
    seen_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_enrolment_seen_at_idx ON device_enrolment_seen (seen_at);
