-- Drift episodes, kept as runs complete so that the fleet report reads a
-- small table instead of re-deriving every episode from months of runs.
--
-- An episode is one unbroken streak of a workspace's succeeded runs that
-- record one drift fingerprint (failed runs neither break nor extend it): from
-- the run that first recorded it to the succeeded run that no longer did
-- (`resolved_*`, NULL while it is open). A span is a succeeded run with drift
-- and the time of the workspace's next succeeded run: what its cost of drift
-- is charged over. `drift_episode_marks` says up to which succeeded run each
-- workspace has been folded in; `drift_fold_state.swept_through` up to which
-- run id the whole store was checked for runs not folded yet (runs written
-- before this migration, or by hand), which the first report folds in.
-- Timestamps are the fixed-width UTC text of 0001.

CREATE TABLE drift_episodes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace       TEXT    NOT NULL,
    fingerprint     TEXT    NOT NULL,
    resource_type   TEXT    NOT NULL,
    -- JSON array of the attribute paths the first run recorded.
    attributes      TEXT    NOT NULL,
    first_run_id    INTEGER NOT NULL,
    first_at        TEXT    NOT NULL,
    resolved_run_id INTEGER,
    resolved_at     TEXT
);
CREATE INDEX drift_episodes_open ON drift_episodes (workspace) WHERE resolved_at IS NULL;
CREATE INDEX drift_episodes_by_resolved ON drift_episodes (resolved_at);
CREATE INDEX drift_episodes_by_fingerprint ON drift_episodes (workspace, fingerprint, first_at);

CREATE TABLE drift_spans (
    run_id      INTEGER PRIMARY KEY,
    workspace   TEXT    NOT NULL,
    finished_at TEXT    NOT NULL,
    next_at     TEXT,
    cost_delta  TEXT
);
CREATE INDEX drift_spans_open ON drift_spans (workspace) WHERE next_at IS NULL;
CREATE INDEX drift_spans_by_next ON drift_spans (next_at);

CREATE TABLE drift_episode_marks (
    workspace      TEXT    PRIMARY KEY,
    through_run_id INTEGER NOT NULL
);

CREATE TABLE drift_fold_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    swept_through  INTEGER NOT NULL
);
INSERT INTO drift_fold_state (id, swept_through) VALUES (1, 0);

-- The report's scan counts read this index alone, not the wide run rows.
CREATE INDEX runs_finished_by_workspace ON runs (workspace, finished_at, status);
-- Folding reads one workspace's succeeded runs after its mark.
CREATE INDEX runs_succeeded_by_workspace ON runs (workspace, id) WHERE status = 'succeeded';
