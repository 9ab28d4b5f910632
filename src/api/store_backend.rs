//! The real [`ApiBackend`]: the run store plus the workspace names of the
//! loaded job files. Records pass through as the store serializes them.

use super::backend::{ApiBackend, ApiBackendError, Caller, Metrics, Role, ScanDurations};
use crate::report::FleetReport;
use crate::schedule::{ScheduledWorkspace, next_fire};
use crate::store::{
    self, AuditEvent, AuditFilter, Decided, Decision, FleetDay, NewDecision, Store, StoreError,
    Trigger,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Serves the API from `store`; `workspaces` are the names the jobs define
/// (only those can be triggered; history of removed ones stays readable).
pub struct StoreBackend {
    store: Store,
    workspaces: BTreeSet<String>,
    /// Workspace → job file name, for the report's per-file figures.
    job_files: HashMap<String, String>,
    schedules: BTreeMap<String, ScheduledWorkspace>,
}

impl StoreBackend {
    pub fn new(store: Store, workspaces: impl IntoIterator<Item = String>) -> Self {
        StoreBackend {
            store,
            workspaces: workspaces.into_iter().collect(),
            job_files: HashMap::new(),
            schedules: BTreeMap::new(),
        }
    }

    /// The workspaces' schedules, for the pages' "next scheduled run".
    pub fn with_schedules(
        mut self,
        schedules: impl IntoIterator<Item = ScheduledWorkspace>,
    ) -> Self {
        self.schedules = schedules
            .into_iter()
            .map(|s| (s.workspace.clone(), s))
            .collect();
        self
    }

    /// Names the job file of each workspace (`(workspace, file name)`), so
    /// `GET /v1/report` has per-file figures.
    pub fn with_job_files(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.job_files = pairs.into_iter().collect();
        self
    }
}

/// Who a token is, for the audit trail: its label, `token N` without one.
fn caller(t: store::TokenInfo) -> Caller {
    Caller {
        role: store_role(t.role),
        label: if t.label.trim().is_empty() {
            format!("token {}", t.id)
        } else {
            t.label
        },
    }
}

fn store_role(r: store::Role) -> Role {
    match r {
        store::Role::Read => Role::Read,
        store::Role::Trigger => Role::Trigger,
        store::Role::Approver => Role::Approver,
        store::Role::Admin => Role::Admin,
    }
}

/// Unavailable (503 with `Retry-After`) when the store could not be reached
/// or was busy, so a retry may succeed; internal (500) otherwise.
fn backend_error(e: StoreError) -> ApiBackendError {
    let transient = match &e {
        StoreError::Connect { .. } => true,
        StoreError::Query { source, .. } => is_busy(source),
        _ => false,
    };
    if transient {
        ApiBackendError::Unavailable(Box::new(e))
    } else {
        ApiBackendError::Internal(Box::new(e))
    }
}

/// A locked or busy database, an exhausted or closed pool, a dropped
/// connection: conditions that pass.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            match code.parse::<i32>() {
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their
                // extended codes (primary code in the low byte).
                Ok(n) => matches!(n & 0xff, 5 | 6),
                // PostgreSQL: lock_not_available, serialization_failure,
                // deadlock_detected, insufficient resources (53…),
                // cannot_connect_now, admin/crash shutdown.
                Err(_) => {
                    matches!(
                        code.as_ref(),
                        "55P03" | "40001" | "40P01" | "57P01" | "57P02" | "57P03"
                    ) || code.starts_with("53")
                }
            }
        }
        _ => false,
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, ApiBackendError> {
    serde_json::to_value(v).map_err(|e| ApiBackendError::Internal(Box::new(e)))
}

impl ApiBackend for StoreBackend {
    async fn verify_token(&self, secret: &str) -> Result<Option<Role>, ApiBackendError> {
        Ok(self.identify(secret).await?.map(|c| c.role))
    }

    async fn identify(&self, secret: &str) -> Result<Option<Caller>, ApiBackendError> {
        Ok(self
            .store
            .identify_token(secret)
            .await
            .map_err(backend_error)?
            .map(caller))
    }

    async fn identify_sha256(&self, sha256_hex: &str) -> Result<Option<Caller>, ApiBackendError> {
        Ok(self
            .store
            .identify_token_sha256(sha256_hex)
            .await
            .map_err(backend_error)?
            .map(caller))
    }

    async fn record_audit(&self, event: AuditEvent) -> Result<(), ApiBackendError> {
        self.store
            .audit()
            .record(event)
            .await
            .map(drop)
            .map_err(backend_error)
    }

    async fn audit(&self, filter: AuditFilter) -> Result<Vec<Value>, ApiBackendError> {
        self.store
            .audit()
            .list(&filter)
            .await
            .map_err(backend_error)?
            .iter()
            .map(to_value)
            .collect()
    }

    async fn report(&self, since: DateTime<Utc>) -> Result<Value, ApiBackendError> {
        let report = FleetReport::load(&self.store, since, &|w| self.job_files.get(w).cloned())
            .await
            .map_err(backend_error)?;
        to_value(&report)
    }

    async fn verify_token_sha256(&self, sha256_hex: &str) -> Result<Option<Role>, ApiBackendError> {
        Ok(self
            .store
            .verify_token_sha256(sha256_hex)
            .await
            .map_err(backend_error)?
            .map(|r| match r {
                store::Role::Read => Role::Read,
                store::Role::Trigger => Role::Trigger,
                store::Role::Approver => Role::Approver,
                store::Role::Admin => Role::Admin,
            }))
    }

    fn known_workspace(&self, name: &str) -> bool {
        self.workspaces.contains(name)
    }

    fn next_scheduled(&self, name: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let s = self.schedules.get(name)?;
        next_fire(&s.schedule, s.offset, now)
    }

    async fn fleet_days(
        &self,
        days: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<FleetDay>, ApiBackendError> {
        self.store
            .fleet_days(days, now)
            .await
            .map_err(backend_error)
    }

    /// A primary-key lookup that finds nothing: it needs a pooled connection
    /// and the schema, on SQLite and PostgreSQL alike (`Store::now` would not
    /// touch a SQLite file at all). Any failure means unavailable.
    async fn health(&self) -> Result<(), ApiBackendError> {
        self.store
            .notify_state("")
            .await
            .map(drop)
            .map_err(|e| ApiBackendError::Unavailable(Box::new(e)))
    }

    async fn trigger(
        &self,
        workspace: &str,
        reason: Option<&str>,
    ) -> Result<(i64, bool), ApiBackendError> {
        let (id, created) = self
            .store
            .enqueue(workspace, Trigger::Api, None)
            .await
            .map_err(backend_error)?;
        tracing::info!(
            workspace,
            run = id,
            created,
            reason = reason.unwrap_or(""),
            "scan requested over the API"
        );
        Ok((id, created))
    }

    async fn run(&self, id: i64) -> Result<Option<Value>, ApiBackendError> {
        match self.store.get_run(id).await.map_err(backend_error)? {
            Some(r) => {
                let mut v = to_value(&r)?;
                let policies = self.store.run_policies(id).await.map_err(backend_error)?;
                if let Some(p) = policies {
                    v["policies"] = to_value(&p)?;
                    let approval = self.store.run_approval(id).await.map_err(backend_error)?;
                    if let Some(a) = approval {
                        v["policy_outcome_effective"] = to_value(&a.effective_outcome(&p))?;
                        v["approval"] = to_value(&a)?;
                    }
                }
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    async fn decide(
        &self,
        id: i64,
        decision: Decision,
        caller: &Caller,
        reason: Option<String>,
    ) -> Result<Decided, ApiBackendError> {
        self.store
            .decide(
                id,
                NewDecision {
                    decision,
                    actor: caller.label.clone(),
                    role: caller.role.into(),
                    reason,
                },
            )
            .await
            .map_err(backend_error)
    }

    async fn workspaces(&self) -> Result<Vec<Value>, ApiBackendError> {
        let summaries = self.store.workspaces().await.map_err(backend_error)?;
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for s in &summaries {
            seen.insert(s.workspace.clone());
            let mut v = to_value(s)?;
            v["configured"] = json!(self.workspaces.contains(&s.workspace));
            out.push(v);
        }
        for name in self.workspaces.difference(&seen) {
            out.push(json!({"workspace": name, "configured": true, "last_run_id": null}));
        }
        out.sort_by(|a, b| a["workspace"].as_str().cmp(&b["workspace"].as_str()));
        Ok(out)
    }

    async fn workspace(&self, name: &str) -> Result<Option<Value>, ApiBackendError> {
        let latest = self
            .store
            .latest_succeeded(name)
            .await
            .map_err(backend_error)?;
        Ok(match latest {
            Some(run) => Some(json!({
                "workspace": name,
                "configured": self.workspaces.contains(name),
                "latest": to_value(&run)?,
            })),
            None => None,
        })
    }

    async fn runs(
        &self,
        workspace: &str,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<Value>, ApiBackendError> {
        self.store
            .list_runs(Some(workspace), limit, before)
            .await
            .map_err(backend_error)?
            .iter()
            .map(to_value)
            .collect()
    }

    async fn metrics(&self) -> Result<Metrics, ApiBackendError> {
        let m = self.store.metrics().await.map_err(backend_error)?;
        Ok(Metrics {
            runs_by_status: m
                .runs_by_status
                .iter()
                .map(|(s, n)| (s.as_str().to_string(), *n))
                .collect(),
            scan_durations: ScanDurations {
                buckets: m
                    .durations
                    .buckets
                    .iter()
                    .map(|(le_ms, n)| (*le_ms as f64 / 1000.0, *n))
                    .collect(),
                sum_seconds: m.durations.sum_ms as f64 / 1000.0,
                count: m.durations.count,
            },
            drifted_workspaces: m.drifted_workspaces,
            queue_depth: m.queue_depth,
        })
    }
}
