//! `notification_target_changed`: the notification targets of each job file
//! as last seen by a worker or `serve`, and the audit entry when a load finds
//! them different (added, removed or changed targets). What is kept and
//! written is the target's name, kind, label and a hash of its whole
//! configuration; job files hold secrets only as env var names, so neither
//! holds a secret.

use super::Store;
use super::audit::{AuditAction, AuditEntry, AuditEvent, AuditVia};
use super::db::{Ts, WritePool, micros, on_pool};
use super::error::{StoreError, query};
use crate::jobs::JobFile;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The lock PostgreSQL loaders take while comparing (`dcnotify`).
const PG_TARGETS_LOCK: i64 = 0x6463_6e6f_7469_6679;

/// One target as it is remembered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSeen {
    pub kind: String,
    /// What people read: `slack ($SLACK_URL)`, `email via smtp:587`.
    pub label: String,
    /// sha256 of the whole configuration (every key, env var names, reminder).
    pub sha256: String,
}

/// How one job file's targets differ from those last seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetChange {
    pub job_file: String,
    /// Nothing was seen for this file before.
    pub first_seen: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    /// One line for the audit entry's detail.
    pub detail: String,
}

/// The targets of `file`, by name.
pub fn targets_of(file: &JobFile) -> BTreeMap<String, TargetSeen> {
    file.notify
        .iter()
        .map(|(name, t)| {
            let whole = format!("{:?}|{:?}", t.target, t.reminder);
            let sha256 = hex::encode(Sha256::digest(whole.as_bytes()));
            (
                name.clone(),
                TargetSeen {
                    kind: t.target.kind().to_string(),
                    label: t.target.label(),
                    sha256,
                },
            )
        })
        .collect()
}

/// The difference between what was seen and what is loaded now (`None`: the same).
pub fn diff(
    job_file: &str,
    before: Option<&BTreeMap<String, TargetSeen>>,
    now: &BTreeMap<String, TargetSeen>,
) -> Option<TargetChange> {
    let empty = BTreeMap::new();
    let old = before.unwrap_or(&empty);
    let mut c = TargetChange {
        job_file: job_file.to_string(),
        first_seen: before.is_none(),
        ..TargetChange::default()
    };
    let mut parts = Vec::new();
    for (name, t) in now {
        match old.get(name) {
            None => {
                c.added.push(name.clone());
                parts.push(format!("added {name} ({})", t.label));
            }
            Some(o) if o != t => {
                c.changed.push(name.clone());
                if o.label == t.label {
                    parts.push(format!("changed {name} ({}: settings)", t.label));
                } else {
                    parts.push(format!("changed {name} ({} → {})", o.label, t.label));
                }
            }
            Some(_) => {}
        }
    }
    for (name, o) in old {
        if !now.contains_key(name) {
            c.removed.push(name.clone());
            parts.push(format!("removed {name} ({})", o.label));
        }
    }
    if parts.is_empty() {
        return None;
    }
    c.detail = parts.join("; ");
    if c.first_seen {
        c.detail = format!("first seen: {}", c.detail);
    }
    Some(c)
}

impl Store {
    /// Compares each job file's notification targets with those last seen for
    /// it, remembers the new ones, and records `notification_target_changed`
    /// (target: the job file; detail: what was added, removed or changed) for
    /// each file that differs. `actor` is who loaded them (`worker HOST:PID`,
    /// `serve`). A file seen for the first time with no targets is remembered
    /// silently.
    pub async fn note_notification_targets(
        &self,
        files: &[JobFile],
        actor: &str,
        via: AuditVia,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let now = micros(self.now().await?);
        let op = "compare notification targets";
        let mut changes = Vec::new();
        for file in files {
            let job_file = file.path.display().to_string();
            let current = targets_of(file);
            let change = on_pool!(self, pool, d => {
                let mut tx = pool.begin_write().await.map_err(query(op))?;
                if d == super::db::Dialect::Postgres {
                    sqlx::query("SELECT pg_advisory_xact_lock($1)")
                        .bind(PG_TARGETS_LOCK)
                        .execute(&mut *tx)
                        .await
                        .map_err(query(op))?;
                }
                let seen: Option<String> =
                    sqlx::query_scalar("SELECT targets FROM notify_targets_seen WHERE job_file = $1")
                        .bind(&job_file)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(query(op))?;
                let before: Option<BTreeMap<String, TargetSeen>> = seen
                    .map(|s| serde_json::from_str(&s))
                    .transpose()
                    .map_err(|e| StoreError::Corrupt {
                        what: "notify_targets_seen.targets",
                        message: e.to_string(),
                    })?;
                let change = diff(&job_file, before.as_ref(), &current);
                if change.is_some() || before.is_none() {
                    let json = serde_json::to_string(&current).map_err(|e| StoreError::Corrupt {
                        what: "notify_targets_seen.targets",
                        message: e.to_string(),
                    })?;
                    sqlx::query(
                        "INSERT INTO notify_targets_seen (job_file, targets, seen_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (job_file) DO UPDATE SET targets = excluded.targets, seen_at = excluded.seen_at",
                    )
                    .bind(&job_file)
                    .bind(&json)
                    .bind(Ts(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(query("remember notification targets"))?;
                }
                tx.commit().await.map_err(query(op))?;
                change
            });
            if let Some(c) = change {
                changes.push(c);
            }
        }
        let mut entries = Vec::new();
        for c in changes {
            let event = AuditEvent::new(actor, via, AuditAction::NotificationTargetChanged)
                .target(c.job_file.clone())
                .detail(c.detail.clone());
            entries.push(self.audit().record(event).await?);
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(label: &str, sha: &str) -> TargetSeen {
        TargetSeen {
            kind: "slack".into(),
            label: label.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn additions_removals_and_changes_are_named() {
        let before = BTreeMap::from([
            ("a".to_string(), seen("slack ($A)", "1")),
            ("b".to_string(), seen("slack ($B)", "2")),
            ("c".to_string(), seen("slack ($C)", "3")),
        ]);
        let now = BTreeMap::from([
            ("a".to_string(), seen("slack ($A)", "1")),
            ("b".to_string(), seen("slack ($B2)", "4")),
            ("c".to_string(), seen("slack ($C)", "5")),
            ("d".to_string(), seen("slack ($D)", "6")),
        ]);
        assert_eq!(diff("j.toml", Some(&now), &now), None);
        let c = diff("j.toml", Some(&before), &now).unwrap();
        assert_eq!(c.added, ["d"]);
        assert_eq!(c.changed, ["b", "c"]);
        assert!(c.removed.is_empty());
        assert_eq!(
            c.detail,
            "changed b (slack ($B) → slack ($B2)); changed c (slack ($C): settings); added d (slack ($D))"
        );
        let gone = diff("j.toml", Some(&before), &BTreeMap::new()).unwrap();
        assert_eq!(gone.removed, ["a", "b", "c"]);
        let first = diff("j.toml", None, &now).unwrap();
        assert!(first.first_seen && first.detail.starts_with("first seen: added a"));
        assert_eq!(diff("j.toml", None, &BTreeMap::new()), None);
    }
}
