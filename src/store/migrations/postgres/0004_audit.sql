-- Audit trail, PostgreSQL dialect: who did what, when, from where, with what
-- result. Append-only: ids are contiguous (each entry takes the previous id
-- + 1 under a transaction-scoped advisory lock) and each entry carries the
-- sha256 of the previous one, so `driftcost audit verify` finds a changed or
-- removed entry. The triggers refuse UPDATE and DELETE for every role that
-- does not own the table (an owner can drop them; `audit verify` then catches
-- what was done).

CREATE TABLE audit_log (
    id          BIGINT      PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT        NOT NULL,
    role        TEXT,
    via         TEXT        NOT NULL,
    remote      TEXT,
    action      TEXT        NOT NULL,
    workspace   TEXT,
    target      TEXT,
    result      TEXT        NOT NULL,
    detail      TEXT,
    prev_sha256 TEXT        NOT NULL,
    sha256      TEXT        NOT NULL
);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
