-- Audit trail, SQLite dialect: who did what, when, from where, with what
-- result. Append-only: ids are contiguous (each entry takes the previous id
-- + 1 under the write lock) and each entry carries the sha256 of the previous
-- one, so `driftcost audit verify` finds a changed or removed entry. The
-- triggers keep the application (and careless hands) from rewriting history;
-- someone with the file can drop them, which `audit verify` then catches.

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    role        TEXT,
    via         TEXT    NOT NULL,
    remote      TEXT,
    action      TEXT    NOT NULL,
    workspace   TEXT,
    target      TEXT,
    result      TEXT    NOT NULL,
    detail      TEXT,
    prev_sha256 TEXT    NOT NULL,
    sha256      TEXT    NOT NULL
);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
