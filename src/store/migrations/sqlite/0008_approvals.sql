-- Approvals, SQLite dialect.
--
-- 1. The role `approver` (between `trigger` and `admin`): SQLite cannot change
--    a CHECK constraint in place, so api_tokens is rebuilt with the same
--    columns and rows (ids kept, so token ids in the audit trail stay true).
-- 2. run_approvals: at most one decision per run on a run whose policies ask
--    for an approval (a `needs_approval` finding). `carried_from` is NULL for a
--    decision an approver made on this run, else the run whose decision this
--    run carries forward (same workspace, same fingerprint); who, when and why
--    are then those of that decision. `fingerprint` is what the decision is
--    bound to: a hash of the run's drift item fingerprints and its
--    needs_approval findings (src/store/approvals.rs).

CREATE TABLE api_tokens_0008 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_sha256 TEXT    NOT NULL UNIQUE,
    role         TEXT    NOT NULL CHECK (role IN ('read', 'trigger', 'approver', 'admin')),
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);
INSERT INTO api_tokens_0008 (id, token_sha256, role, label, created_at, revoked_at)
    SELECT id, token_sha256, role, label, created_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_0008 RENAME TO api_tokens;

CREATE TABLE run_approvals (
    run_id       INTEGER NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    workspace    TEXT    NOT NULL,
    decision     TEXT    NOT NULL CHECK (decision IN ('approved', 'rejected')),
    teams        TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    decided_at   TEXT    NOT NULL,
    reason       TEXT,
    fingerprint  TEXT    NOT NULL,
    carried_from INTEGER
);
CREATE INDEX run_approvals_by_fingerprint ON run_approvals (workspace, fingerprint, run_id);
