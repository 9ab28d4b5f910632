-- What was last announced per workspace (drift fingerprints, cost level,
-- failure), so notifications are deduplicated across runs and workers. Written
-- in the same transaction as the run result and its outbox rows.
CREATE TABLE notify_state (
    workspace  TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
