//! The run store: the queue of scans, their history and results, the
//! notification outbox, the API's tokens and the audit trail. A SQLite file by default (WAL,
//! nothing to install); PostgreSQL when several workers share one queue.
//!
//! Invariants:
//! - At most one active (queued or running) run per workspace, enforced by a
//!   unique partial index, so two workers can never scan one workspace at once.
//! - A claimed run is owned by one worker until its lease runs out; a worker
//!   that dies simply stops renewing, and the run becomes claimable again.
//! - A run is completed once: `complete` writes only while the run is still
//!   running and owned by the caller, all of it in one transaction.
//! - Nothing sensitive is stored: drift items are stored as `DriftItem`
//!   serializes them (sensitive values already masked), tokens as sha256 only.
//! - Leases compare against one clock: the database's on PostgreSQL (workers
//!   on several hosts), the local clock on SQLite (one host).
//!
//! Worker ids must be unique per process (e.g. `host:pid:random`): ownership
//! checks compare them.

mod approvals;
mod audit;
mod db;
mod episodes;
mod error;
mod fleet;
mod history;
mod model;
mod notify_targets;
mod outbox;
mod policies;
mod queue;
mod report_input;
mod runs;
mod tokens;

#[cfg(test)]
mod tests;

pub use approvals::{
    ApprovalDecision, ApprovalState, Decided, Decision, MAX_APPROVAL_REASON_CHARS, NewDecision,
    RunApproval, approval_fingerprint, approved_outcome, teams_asked, teams_text, without_approved,
};
pub use audit::{
    AuditAction, AuditEntry, AuditEvent, AuditFilter, AuditHead, AuditProblem, AuditResult,
    AuditTrail, AuditVerification, AuditVia, GENESIS as AUDIT_GENESIS, MAX_AUDIT_PAGE, entry_hash,
};
pub use error::StoreError;
pub use fleet::{FleetDay, FleetRun, fleet_days};
pub use model::{
    ClaimedRun, DURATION_BUCKETS_MS, DurationStats, NewOutboxMessage, OutboxMessage, Role,
    RunDetail, RunId, RunRecord, RunResult, RunStatus, StoreMetrics, TokenInfo, Trigger,
    WorkspaceSummary,
};
pub use notify_targets::{TargetChange, TargetSeen};
pub use policies::{PolicyFinding, PolicyLevel, RunPolicies};
pub use report_input::{DriftEpisode, DriftRun, LatestRun, ReportInput, ScanCounts};

use chrono::{DateTime, Utc};
use db::Pool;

/// A handle on the run store; cheap to clone (it is a connection pool).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

/// Which database a [`Store`] is backed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// Opens `sqlite:PATH`, a plain file path, `sqlite::memory:` or
    /// `postgres://…`: creates a missing SQLite file (in WAL mode) and brings
    /// the schema up to date, so a fresh machine needs nothing installed.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Ok(Store {
            pool: db::open(url, true).await?,
        })
    }

    /// Opens a store that must exist already: a missing SQLite file is
    /// [`StoreError::Missing`] and is not created (for commands that only
    /// read, so a typo or the wrong folder never leaves an empty store behind).
    pub async fn open_existing(url: &str) -> Result<Store, StoreError> {
        Ok(Store {
            pool: db::open(url, false).await?,
        })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The clock leases are measured against: PostgreSQL's, so that workers
    /// on hosts with skewed clocks agree on when a lease ran out.
    pub async fn now(&self) -> Result<DateTime<Utc>, StoreError> {
        match &self.pool {
            Pool::Sqlite(_) => Ok(db::micros(Utc::now())),
            Pool::Postgres(pool) => {
                let t: DateTime<Utc> = sqlx::query_scalar("SELECT clock_timestamp()")
                    .fetch_one(pool)
                    .await
                    .map_err(error::query("read the database clock"))?;
                Ok(db::micros(t))
            }
        }
    }

    /// Closes every connection (waits for queries in flight).
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}
