-- The notification targets last seen per job file, so that a worker or
-- `serve` loading a job file whose targets differ records it in the audit
-- trail (notification_target_changed). `targets` is JSON: name → kind, label
-- and the sha256 of the whole target (secrets are env var names only).
CREATE TABLE notify_targets_seen (
    job_file TEXT PRIMARY KEY,
    targets  TEXT NOT NULL,
    seen_at  TEXT NOT NULL
);
