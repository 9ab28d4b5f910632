//! An in-memory stand-in for the run store and jobs behind the HTTP API: the
//! real store is tested by its own suite; these tests are about HTTP.
//! Shared by `tests/api.rs` and `benches/api.rs`.
#![allow(dead_code)] // each user calls a different part

use driftcost::api::{ApiBackend, ApiBackendError, Caller, Metrics, Role, ScanDurations};
use driftcost::store::{AuditEvent, AuditFilter, Decided, Decision};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

pub const READ: &str = "read-token-0123456789";
pub const TRIGGER: &str = "trigger-token-0123456789";
pub const ADMIN: &str = "admin-token-0123456789";

#[derive(Debug, Clone)]
struct Run {
    id: i64,
    workspace: String,
    status: &'static str,
    reason: Option<String>,
    drift_items: u32,
    seconds: f64,
}

impl Run {
    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "workspace": self.workspace,
            "status": self.status,
            "trigger": "api",
            "reason": self.reason,
            "drift_items": self.drift_items,
        })
    }
}

pub struct MemoryBackend {
    tokens: HashMap<String, Role>,
    workspaces: Vec<String>,
    runs: Mutex<Vec<Run>>,
    /// What the API recorded in the audit trail.
    pub audit: Mutex<Vec<AuditEvent>>,
    /// When set, every store call fails as if the database were down.
    pub down: AtomicBool,
    /// Milliseconds `workspaces()` takes, as a store that hangs would.
    pub workspaces_delay_ms: AtomicU64,
}

impl MemoryBackend {
    pub fn new(workspaces: &[&str]) -> Self {
        MemoryBackend {
            tokens: [
                (READ, Role::Read),
                (TRIGGER, Role::Trigger),
                (ADMIN, Role::Admin),
            ]
            .into_iter()
            .map(|(t, r)| (t.to_string(), r))
            .collect(),
            workspaces: workspaces.iter().map(|w| w.to_string()).collect(),
            runs: Mutex::new(Vec::new()),
            audit: Mutex::new(Vec::new()),
            down: AtomicBool::new(false),
            workspaces_delay_ms: AtomicU64::new(0),
        }
    }

    /// What a worker would do: claim and finish a run.
    pub fn finish(&self, id: i64, status: &'static str, drift_items: u32, seconds: f64) {
        let mut runs = self.runs.lock().unwrap();
        let run = runs.iter_mut().find(|r| r.id == id).expect("run exists");
        run.status = status;
        run.drift_items = drift_items;
        run.seconds = seconds;
    }

    fn check(&self) -> Result<(), ApiBackendError> {
        if self.down.load(Ordering::SeqCst) {
            Err(ApiBackendError::Unavailable(
                "connection refused (postgres://u:pw@db)".into(),
            ))
        } else {
            Ok(())
        }
    }

    fn latest_finished(&self, workspace: &str) -> Option<Run> {
        let runs = self.runs.lock().unwrap();
        runs.iter()
            .rev()
            .find(|r| r.workspace == workspace && !matches!(r.status, "queued" | "running"))
            .cloned()
    }
}

impl ApiBackend for MemoryBackend {
    async fn verify_token(&self, secret: &str) -> Result<Option<Role>, ApiBackendError> {
        self.check()?;
        Ok(self.tokens.get(secret).copied())
    }

    async fn record_audit(&self, event: AuditEvent) -> Result<(), ApiBackendError> {
        self.check()?;
        self.audit.lock().unwrap().push(event);
        Ok(())
    }

    async fn audit(&self, filter: AuditFilter) -> Result<Vec<Value>, ApiBackendError> {
        self.check()?;
        let audit = self.audit.lock().unwrap();
        Ok(audit
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, e)| filter.action.is_none_or(|a| a == e.action))
            .map(|(i, e)| json!({"id": i + 1, "actor": e.actor, "action": e.action}))
            .take(filter.limit.unwrap_or(u32::MAX) as usize)
            .collect())
    }

    async fn report(&self, since: chrono::DateTime<chrono::Utc>) -> Result<Value, ApiBackendError> {
        self.check()?;
        Ok(json!({"version": "1", "since": since}))
    }

    async fn verify_token_sha256(&self, sha256_hex: &str) -> Result<Option<Role>, ApiBackendError> {
        use sha2::Digest;
        self.check()?;
        Ok(self
            .tokens
            .iter()
            .find(|(secret, _)| hex::encode(sha2::Sha256::digest(secret.as_bytes())) == sha256_hex)
            .map(|(_, role)| *role))
    }

    fn known_workspace(&self, name: &str) -> bool {
        self.workspaces.iter().any(|w| w == name)
    }

    async fn trigger(
        &self,
        workspace: &str,
        reason: Option<&str>,
    ) -> Result<(i64, bool), ApiBackendError> {
        self.check()?;
        let mut runs = self.runs.lock().unwrap();
        if let Some(r) = runs
            .iter()
            .find(|r| r.workspace == workspace && r.status == "queued")
        {
            return Ok((r.id, false));
        }
        let id = runs.len() as i64 + 1;
        runs.push(Run {
            id,
            workspace: workspace.to_string(),
            status: "queued",
            reason: reason.map(str::to_string),
            drift_items: 0,
            seconds: 0.0,
        });
        Ok((id, true))
    }

    async fn run(&self, id: i64) -> Result<Option<Value>, ApiBackendError> {
        self.check()?;
        let runs = self.runs.lock().unwrap();
        Ok(runs.iter().find(|r| r.id == id).map(Run::json))
    }

    /// Runs here carry no policy results, so none asks for an approval.
    async fn decide(
        &self,
        id: i64,
        _decision: Decision,
        _caller: &Caller,
        _reason: Option<String>,
    ) -> Result<Decided, ApiBackendError> {
        self.check()?;
        let runs = self.runs.lock().unwrap();
        Ok(match runs.iter().find(|r| r.id == id) {
            None => Decided::NoSuchRun,
            Some(r) => Decided::NotNeeded {
                workspace: r.workspace.clone(),
                why: format!("run {id} does not need an approval: no policy finding asks for one"),
            },
        })
    }

    async fn workspaces(&self) -> Result<Vec<Value>, ApiBackendError> {
        self.check()?;
        let delay = self.workspaces_delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        Ok(self
            .workspaces
            .iter()
            .map(|w| {
                let latest = self.latest_finished(w);
                json!({"name": w, "latest_status": latest.as_ref().map(|r| r.status)})
            })
            .collect())
    }

    async fn workspace(&self, name: &str) -> Result<Option<Value>, ApiBackendError> {
        self.check()?;
        Ok(self.latest_finished(name).map(|r| {
            json!({"name": name, "run_id": r.id, "status": r.status, "drift_items": r.drift_items})
        }))
    }

    async fn runs(
        &self,
        workspace: &str,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<Value>, ApiBackendError> {
        self.check()?;
        let runs = self.runs.lock().unwrap();
        Ok(runs
            .iter()
            .rev()
            .filter(|r| r.workspace == workspace && before.is_none_or(|b| r.id < b))
            .take(limit as usize)
            .map(Run::json)
            .collect())
    }

    async fn health(&self) -> Result<(), ApiBackendError> {
        self.check()
    }

    async fn metrics(&self) -> Result<Metrics, ApiBackendError> {
        self.check()?;
        let runs = self.runs.lock().unwrap();
        let mut runs_by_status = BTreeMap::new();
        for r in runs.iter() {
            *runs_by_status.entry(r.status.to_string()).or_insert(0) += 1;
        }
        let finished = runs
            .iter()
            .filter(|r| !matches!(r.status, "queued" | "running"));
        let drifted = self
            .workspaces
            .iter()
            .filter(|w| {
                self.latest_finished_locked(&runs, w)
                    .is_some_and(|r| r.drift_items > 0)
            })
            .count();
        Ok(Metrics {
            queue_depth: runs_by_status.get("queued").copied().unwrap_or(0),
            runs_by_status,
            scan_durations: ScanDurations::from_seconds(finished.map(|r| r.seconds)),
            drifted_workspaces: drifted as u64,
        })
    }
}

impl MemoryBackend {
    fn latest_finished_locked<'a>(&self, runs: &'a [Run], workspace: &str) -> Option<&'a Run> {
        runs.iter()
            .rev()
            .find(|r| r.workspace == workspace && !matches!(r.status, "queued" | "running"))
    }
}
