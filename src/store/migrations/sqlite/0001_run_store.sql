-- Run store, SQLite dialect. Timestamps are TEXT in one fixed-width UTC form
-- (2024-05-01T12:00:00.000000Z) so text order is time order; money is TEXT
-- holding a decimal string (never REAL).

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace     TEXT    NOT NULL,
    triggered_by  TEXT    NOT NULL CHECK (triggered_by IN ('schedule', 'api', 'manual')),
    status        TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled')),
    attempt       INTEGER NOT NULL DEFAULT 0,
    worker        TEXT,
    lease_until   TEXT,
    queued_at     TEXT    NOT NULL,
    scheduled_for TEXT,
    started_at    TEXT,
    finished_at   TEXT,
    duration_ms   INTEGER,
    tool_version  TEXT,
    exit_status   INTEGER,
    error         TEXT,
    state_source  TEXT,
    drift_count   INTEGER NOT NULL DEFAULT 0,
    cost_delta    TEXT,
    report_json   TEXT
);
-- Never two runs of one workspace at once: enqueue relies on this index.
CREATE UNIQUE INDEX runs_one_active_per_workspace ON runs (workspace) WHERE status IN ('queued', 'running');
CREATE INDEX runs_claim_order ON runs (queued_at, id) WHERE status IN ('queued', 'running');
CREATE INDEX runs_by_workspace ON runs (workspace, id);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE drift_items (
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    address       TEXT    NOT NULL,
    resource_type TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    fingerprint   TEXT    NOT NULL,
    item          TEXT    NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX drift_items_by_fingerprint ON drift_items (fingerprint);

CREATE TABLE run_costs (
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    address        TEXT    NOT NULL,
    monthly_before TEXT,
    monthly_after  TEXT,
    PRIMARY KEY (run_id, address)
);

CREATE TABLE integrity_records (
    run_id      INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    workspace   TEXT    NOT NULL,
    lineage     TEXT    NOT NULL,
    serial      INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    alerts      TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL
);
CREATE INDEX integrity_by_workspace ON integrity_records (workspace, run_id);

-- The last time a schedule fired per workspace, even when the run was
-- deduplicated against one already queued.
CREATE TABLE schedule_marks (
    workspace  TEXT PRIMARY KEY,
    last_fired TEXT NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    target          TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    worker          TEXT,
    lease_until     TEXT,
    next_attempt_at TEXT    NOT NULL,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_sha256 TEXT    NOT NULL UNIQUE,
    role         TEXT    NOT NULL CHECK (role IN ('read', 'trigger', 'admin')),
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);
