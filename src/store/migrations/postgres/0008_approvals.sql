-- Approvals, PostgreSQL dialect.
--
-- 1. The role `approver` (between `trigger` and `admin`) in api_tokens' check.
-- 2. run_approvals: at most one decision per run on a run whose policies ask
--    for an approval (a `needs_approval` finding). `carried_from` is NULL for a
--    decision an approver made on this run, else the run whose decision this
--    run carries forward (same workspace, same fingerprint); who, when and why
--    are then those of that decision. `fingerprint` is what the decision is
--    bound to: a hash of the run's drift item fingerprints and its
--    needs_approval findings (src/store/approvals.rs).

ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check
    CHECK (role IN ('read', 'trigger', 'approver', 'admin'));

CREATE TABLE run_approvals (
    run_id       BIGINT      NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    workspace    TEXT        NOT NULL,
    decision     TEXT        NOT NULL CHECK (decision IN ('approved', 'rejected')),
    teams        TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    role         TEXT        NOT NULL,
    decided_at   TIMESTAMPTZ NOT NULL,
    reason       TEXT,
    fingerprint  TEXT        NOT NULL,
    carried_from BIGINT
);
CREATE INDEX run_approvals_by_fingerprint ON run_approvals (workspace, fingerprint, run_id);
