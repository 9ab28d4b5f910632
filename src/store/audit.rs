//! The audit trail: every state-changing action (tokens created and revoked,
//! scans triggered, drift PRs and issues opened or closed, sign-ins…) with
//! when, who (token label and role, never the token), from where, what and the
//! result.
//!
//! Invariants:
//! - Append-only: this module has no update or delete, and the tables'
//!   triggers refuse them (migration 0004).
//! - Entry ids are contiguous from 1: each entry takes the previous id + 1
//!   under the store's write lock (SQLite) or an advisory lock (PostgreSQL).
//! - Each entry carries `prev_sha256`, the hash of the entry before it
//!   ([`GENESIS`] for the first), and `sha256`, the hash of its own fields and
//!   `prev_sha256` ([`entry_hash`]). [`AuditTrail::verify`] recomputes the
//!   chain and names every entry that was changed or removed; removing the
//!   newest entries is caught by comparing with a head recorded earlier.

use super::Store;
use super::db::{Ts, WritePool, micros, on_pool};
use super::error::{StoreError, query};
use super::model::Role;
use super::model::text_enum;
use super::runs::parse_text;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::fmt;
use std::str::FromStr;

/// `prev_sha256` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Largest page [`AuditTrail::list`] returns, whatever the caller asks for.
pub const MAX_AUDIT_PAGE: u32 = 10_000;

/// The lock PostgreSQL writers take while appending (the chain needs one
/// writer at a time): the bytes of `dcaudit` as a number.
const PG_AUDIT_LOCK: i64 = 0x0064_6361_7564_6974;

macro_rules! audit_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];
        }
        // Text, Display and FromStr as every stored enum has them.
        text_enum!($name { $($variant => $text),+ });
    };
}

audit_enum!(
    /// What was done.
    AuditAction {
        TokenCreated => "token_created",
        TokenRevoked => "token_revoked",
        ScanTriggered => "scan_triggered",
        ApprovalGiven => "approval_given",
        DriftPrOpened => "drift_pr_opened",
        IssueOpened => "issue_opened",
        IssueClosed => "issue_closed",
        NotificationTargetChanged => "notification_target_changed",
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
    }
);

audit_enum!(
    /// Through which door it came.
    AuditVia {
        /// The `driftcost` command line on a host with the store.
        Cli => "cli",
        /// The HTTP API with a bearer token.
        Api => "api",
        /// The web pages with a session.
        Page => "page",
        /// A signed webhook (GitHub).
        Webhook => "webhook",
        /// The scheduler of a worker or `serve --with-worker`.
        Schedule => "schedule",
        /// A worker acting on a run's result (issues opened and closed).
        Worker => "worker",
    }
);

audit_enum!(
    /// How it ended.
    AuditResult {
        /// Done (or already so: a scan already queued is `ok` too).
        Ok => "ok",
        /// Refused: bad credentials or too weak a role.
        Denied => "denied",
        /// Attempted, and it failed.
        Failed => "failed",
    }
);

/// One action to record. There is deliberately no field for a token secret:
/// the actor is the token's label, the role its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Who: a token's label (`token 7` when it has none), `scheduler`,
    /// `github`, the worker's id, or `cli:USER` for the command line.
    pub actor: String,
    /// The role of the token that acted, when a token did.
    pub role: Option<Role>,
    pub via: AuditVia,
    /// From where: the peer address for HTTP, the host for the CLI.
    pub remote: Option<String>,
    pub action: AuditAction,
    pub workspace: Option<String>,
    /// What it acted on: `run 42`, `token 3`, a pull request or issue URL.
    pub target: Option<String>,
    pub result: AuditResult,
    /// A short note (why it failed, the scan's reason…); never secrets.
    pub detail: Option<String>,
}

impl AuditEvent {
    /// An event with only the required fields; fill the rest with the setters.
    pub fn new(actor: impl Into<String>, via: AuditVia, action: AuditAction) -> AuditEvent {
        AuditEvent {
            actor: actor.into(),
            role: None,
            via,
            remote: None,
            action,
            workspace: None,
            target: None,
            result: AuditResult::Ok,
            detail: None,
        }
    }
    pub fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }
    pub fn remote(mut self, remote: impl Into<String>) -> Self {
        self.remote = Some(remote.into());
        self
    }
    pub fn workspace(mut self, workspace: impl Into<String>) -> Self {
        self.workspace = Some(workspace.into());
        self
    }
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
    pub fn result(mut self, result: AuditResult) -> Self {
        self.result = result;
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// A recorded entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub event: AuditEvent,
    pub prev_sha256: String,
    pub sha256: String,
}

/// Which entries [`AuditTrail::list`] returns: all given conditions hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AuditFilter {
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    pub workspace: Option<String>,
    /// Only entries with a smaller id (paging: the last id of a page).
    pub before: Option<i64>,
    /// At most this many (newest first), capped at [`MAX_AUDIT_PAGE`]; `None`: the cap.
    pub limit: Option<u32>,
}

/// Something [`AuditTrail::verify`] found wrong, naming the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum AuditProblem {
    /// The entry's fields no longer hash to its `sha256`.
    Changed { id: i64 },
    /// Entries `first..=last` are gone (the ids jump over them).
    Removed { first: i64, last: i64 },
    /// The entry's `prev_sha256` is not the hash of the entry before it:
    /// that one (`previous`) was changed and its hash rewritten to match.
    BrokenLink { id: i64, previous: i64 },
    /// The head recorded earlier (`id` with that hash) is no longer in the
    /// trail: the newest entries were removed or rewritten.
    HeadMissing { id: i64 },
}

impl fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditProblem::Changed { id } => write!(
                f,
                "entry {id} was changed after it was written (its fields no longer match its hash)"
            ),
            AuditProblem::Removed { first, last } if first == last => {
                write!(f, "entry {first} was removed")
            }
            AuditProblem::Removed { first, last } => {
                write!(f, "entries {first} to {last} were removed")
            }
            AuditProblem::BrokenLink { id, previous } => write!(
                f,
                "entry {previous} was changed and re-hashed: entry {id} does not point at it any more"
            ),
            AuditProblem::HeadMissing { id } => write!(
                f,
                "entry {id} with the recorded head hash is no longer in the trail: the newest entries were removed or rewritten"
            ),
        }
    }
}

/// What [`AuditTrail::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    pub entries: u64,
    /// The newest entry's id and hash: keep them somewhere else and pass them
    /// to the next verify to notice the newest entries being removed.
    pub head: Option<AuditHead>,
    pub problems: Vec<AuditProblem>,
}

/// An entry's id and hash, as `ID:SHA256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    pub id: i64,
    pub sha256: String,
}

impl fmt::Display for AuditHead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.id, self.sha256)
    }
}

impl FromStr for AuditHead {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (id, hash) = s
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("`{s}` is not ID:SHA256 (as `audit verify` prints it)"))?;
        let id: i64 = id
            .parse()
            .map_err(|_| format!("`{id}` in `{s}` is not an entry id"))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("`{hash}` in `{s}` is not a sha256 (64 hex digits)"));
        }
        Ok(AuditHead {
            id,
            sha256: hash.to_ascii_lowercase(),
        })
    }
}

/// The hash of an entry: sha256 over a JSON array of its fields in a fixed
/// order, the time in fixed-width UTC, ending with the previous entry's hash.
pub fn entry_hash(id: i64, at: DateTime<Utc>, e: &AuditEvent, prev_sha256: &str) -> String {
    let fields = serde_json::json!([
        id,
        at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        e.actor,
        e.role.map(Role::as_str),
        e.via.as_str(),
        e.remote,
        e.action.as_str(),
        e.workspace,
        e.target,
        e.result.as_str(),
        e.detail,
        prev_sha256,
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// The audit trail of a [`Store`]: [`Store::audit`].
#[derive(Debug, Clone, Copy)]
pub struct AuditTrail<'a> {
    store: &'a Store,
}

impl Store {
    /// The audit trail: record, list and verify.
    pub fn audit(&self) -> AuditTrail<'_> {
        AuditTrail { store: self }
    }
}

const COLS: &str = "id, at, actor, role, via, remote, action, workspace, target, result, detail, prev_sha256, sha256";

macro_rules! entry_from_row {
    ($row:expr) => {{
        let row = $row;
        let read = |e| StoreError::Query {
            op: "read audit_log",
            source: e,
        };
        let role: Option<String> = row.try_get("role").map_err(read)?;
        let via: String = row.try_get("via").map_err(read)?;
        let action: String = row.try_get("action").map_err(read)?;
        let result: String = row.try_get("result").map_err(read)?;
        AuditEntry {
            id: row.try_get("id").map_err(read)?,
            at: row.try_get("at").map_err(read)?,
            event: AuditEvent {
                actor: row.try_get("actor").map_err(read)?,
                role: role.map(|r| parse_text("audit_log.role", &r)).transpose()?,
                via: parse_text("audit_log.via", &via)?,
                remote: row.try_get("remote").map_err(read)?,
                action: parse_text("audit_log.action", &action)?,
                workspace: row.try_get("workspace").map_err(read)?,
                target: row.try_get("target").map_err(read)?,
                result: parse_text("audit_log.result", &result)?,
                detail: row.try_get("detail").map_err(read)?,
            },
            prev_sha256: row.try_get("prev_sha256").map_err(read)?,
            sha256: row.try_get("sha256").map_err(read)?,
        }
    }};
}

impl AuditTrail<'_> {
    /// Appends `event` at the store's clock and returns the entry as written.
    pub async fn record(&self, event: AuditEvent) -> Result<AuditEntry, StoreError> {
        let at = micros(self.store.now().await?);
        let op = "record an audit entry";
        let entry = on_pool!(self.store, pool, d => {
            let mut tx = pool.begin_write().await.map_err(query(op))?;
            if d == super::db::Dialect::Postgres {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(PG_AUDIT_LOCK)
                    .execute(&mut *tx)
                    .await
                    .map_err(query(op))?;
            }
            let last: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await
            .map_err(query(op))?;
            let (id, prev) = match last {
                Some((id, hash)) => (id + 1, hash),
                None => (1, GENESIS.to_string()),
            };
            let sha256 = entry_hash(id, at, &event, &prev);
            sqlx::query(
                "INSERT INTO audit_log (id, at, actor, role, via, remote, action, workspace, target, result, detail, prev_sha256, sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(id)
            .bind(Ts(at))
            .bind(&event.actor)
            .bind(event.role.map(Role::as_str))
            .bind(event.via.as_str())
            .bind(&event.remote)
            .bind(event.action.as_str())
            .bind(&event.workspace)
            .bind(&event.target)
            .bind(event.result.as_str())
            .bind(&event.detail)
            .bind(&prev)
            .bind(&sha256)
            .execute(&mut *tx)
            .await
            .map_err(query(op))?;
            tx.commit().await.map_err(query(op))?;
            AuditEntry { id, at, event, prev_sha256: prev, sha256 }
        });
        tracing::info!(
            audit = entry.id,
            action = entry.event.action.as_str(),
            actor = %entry.event.actor,
            result = entry.event.result.as_str(),
            "audit entry recorded"
        );
        Ok(entry)
    }

    /// Entries matching `filter`, newest first.
    pub async fn list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = i64::from(filter.limit.unwrap_or(MAX_AUDIT_PAGE).min(MAX_AUDIT_PAGE));
        let mut conds = Vec::new();
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if filter.since.is_some() {
            conds.push(format!("at >= {}", next()));
        }
        if filter.until.is_some() {
            conds.push(format!("at < {}", next()));
        }
        if filter.actor.is_some() {
            conds.push(format!("actor = {}", next()));
        }
        if filter.action.is_some() {
            conds.push(format!("action = {}", next()));
        }
        if filter.workspace.is_some() {
            conds.push(format!("workspace = {}", next()));
        }
        if filter.before.is_some() {
            conds.push(format!("id < {}", next()));
        }
        let limit_param = next();
        let sql = format!(
            "SELECT {COLS} FROM audit_log {} ORDER BY id DESC LIMIT {limit_param}",
            if conds.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", conds.join(" AND "))
            }
        );
        on_pool!(self.store, pool, d => {
            let mut q = sqlx::query(&sql);
            if let Some(t) = filter.since {
                q = q.bind(Ts(micros(t)));
            }
            if let Some(t) = filter.until {
                q = q.bind(Ts(micros(t)));
            }
            if let Some(a) = &filter.actor {
                q = q.bind(a.as_str());
            }
            if let Some(a) = filter.action {
                q = q.bind(a.as_str());
            }
            if let Some(w) = &filter.workspace {
                q = q.bind(w.as_str());
            }
            if let Some(b) = filter.before {
                q = q.bind(b);
            }
            let rows = q
                .bind(limit)
                .fetch_all(pool)
                .await
                .map_err(query("list audit entries"))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(entry_from_row!(row));
            }
            Ok(out)
        })
    }

    /// Walks the whole trail in id order and recomputes every hash; `head`
    /// (from an earlier verify) must still be in it. Problems are reported,
    /// not errors: only failing to read the trail is an error.
    pub async fn verify(&self, head: Option<&AuditHead>) -> Result<AuditVerification, StoreError> {
        let entries: Vec<AuditEntry> = on_pool!(self.store, pool, d => {
            let rows = sqlx::query(&format!("SELECT {COLS} FROM audit_log ORDER BY id"))
                .fetch_all(pool)
                .await
                .map_err(query("read the audit trail"))?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.push(entry_from_row!(row));
            }
            out
        });
        Ok(check_chain(&entries, head))
    }
}

/// The checks of [`AuditTrail::verify`] over entries in id order.
fn check_chain(entries: &[AuditEntry], head: Option<&AuditHead>) -> AuditVerification {
    let mut problems = Vec::new();
    let mut prev: Option<&AuditEntry> = None;
    for e in entries {
        let expected_id = prev.map_or(1, |p| p.id + 1);
        let gap = e.id > expected_id;
        if gap {
            problems.push(AuditProblem::Removed {
                first: expected_id,
                last: e.id - 1,
            });
        }
        let changed = entry_hash(e.id, e.at, &e.event, &e.prev_sha256) != e.sha256;
        if changed {
            problems.push(AuditProblem::Changed { id: e.id });
        }
        // After a gap the link cannot match; the gap is the finding. A
        // previous entry already reported as changed explains a broken link.
        if !gap
            && let Some(p) = prev
            && e.prev_sha256 != p.sha256
            && !problems.contains(&AuditProblem::Changed { id: p.id })
        {
            problems.push(AuditProblem::BrokenLink {
                id: e.id,
                previous: p.id,
            });
        }
        prev = Some(e);
    }
    if let Some(h) = head
        && !entries.iter().any(|e| e.id == h.id && e.sha256 == h.sha256)
    {
        problems.push(AuditProblem::HeadMissing { id: h.id });
    }
    AuditVerification {
        entries: entries.len() as u64,
        head: entries.last().map(|e| AuditHead {
            id: e.id,
            sha256: e.sha256.clone(),
        }),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for id in 1..=n {
            let prev = out.last().map_or(GENESIS.to_string(), |e| e.sha256.clone());
            let at = "2026-01-01T00:00:00Z".parse::<DateTime<Utc>>().unwrap()
                + chrono::TimeDelta::seconds(id);
            let event = AuditEvent::new("ci", AuditVia::Api, AuditAction::ScanTriggered)
                .workspace(format!("ws{id}"));
            let sha256 = entry_hash(id, at, &event, &prev);
            out.push(AuditEntry {
                id,
                at,
                event,
                prev_sha256: prev,
                sha256,
            });
        }
        out
    }

    #[test]
    fn an_intact_chain_has_no_problems() {
        let v = check_chain(&chain(4), None);
        assert_eq!(v.entries, 4);
        assert!(v.problems.is_empty(), "{:?}", v.problems);
        assert_eq!(v.head.unwrap().id, 4);
    }

    #[test]
    fn names_a_changed_entry() {
        let mut c = chain(4);
        c[1].event.workspace = Some("other".into());
        assert_eq!(
            check_chain(&c, None).problems,
            vec![AuditProblem::Changed { id: 2 }]
        );
    }

    #[test]
    fn names_a_changed_and_rehashed_entry() {
        let mut c = chain(4);
        c[1].event.result = AuditResult::Denied;
        c[1].sha256 = entry_hash(2, c[1].at, &c[1].event, &c[1].prev_sha256);
        assert_eq!(
            check_chain(&c, None).problems,
            vec![AuditProblem::BrokenLink { id: 3, previous: 2 }]
        );
    }

    #[test]
    fn names_removed_entries_first_middle_and_last() {
        let mut c = chain(6);
        c.remove(3);
        c.remove(2);
        assert_eq!(
            check_chain(&c, None).problems,
            vec![AuditProblem::Removed { first: 3, last: 4 }]
        );
        let mut c = chain(3);
        c.remove(0);
        assert_eq!(
            check_chain(&c, None).problems,
            vec![AuditProblem::Removed { first: 1, last: 1 }]
        );
        let full = chain(3);
        let head: AuditHead = full[2].to_head().to_string().parse().unwrap();
        let mut c = full.clone();
        c.pop();
        assert_eq!(
            check_chain(&c, Some(&head)).problems,
            vec![AuditProblem::HeadMissing { id: 3 }]
        );
        assert!(check_chain(&full, Some(&head)).problems.is_empty());
    }

    #[test]
    fn heads_parse_strictly() {
        assert!("3:abc".parse::<AuditHead>().is_err());
        assert!("x:".parse::<AuditHead>().is_err());
        assert!(format!("3:{GENESIS}").parse::<AuditHead>().is_ok());
    }

    impl AuditEntry {
        fn to_head(&self) -> AuditHead {
            AuditHead {
                id: self.id,
                sha256: self.sha256.clone(),
            }
        }
    }
}
