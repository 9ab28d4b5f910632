-- Policy results of a run, SQLite dialect: one row per finding (which input
-- the policy read, which policy and rule, its level and message, the team an
-- approval is asked of, the policy's file), and the run's overall outcome.
-- A policy that could not be evaluated (syntax, runtime error, time limit) is
-- a row with level 'error' and the error as its message, never a pass.
-- policy_outcome is NULL for a run that had no policies to evaluate.

ALTER TABLE runs ADD COLUMN policy_outcome TEXT
    CHECK (policy_outcome IN ('pass', 'warn', 'needs_approval', 'fail', 'error'));

CREATE TABLE run_policy_findings (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    input_kind TEXT    NOT NULL CHECK (input_kind IN ('plan', 'cost', 'drift')),
    policy     TEXT    NOT NULL,
    rule       TEXT    NOT NULL,
    level      TEXT    NOT NULL CHECK (level IN ('pass', 'warn', 'needs_approval', 'fail', 'error')),
    msg        TEXT    NOT NULL,
    approval   TEXT,
    file       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, seq)
);
