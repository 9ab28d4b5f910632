-- The notification targets last seen per job file (see the SQLite migration).
CREATE TABLE notify_targets_seen (
    job_file TEXT        PRIMARY KEY,
    targets  TEXT        NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL
);
