//! Approvals of runs whose policies ask for one (a `needs_approval`
//! finding, [`super::PolicyLevel::NeedsApproval`]): who decided, when, why,
//! and what the decision is bound to (migration 0008, table `run_approvals`).
//!
//! Rules:
//! - A run needs an approval when at least one of its findings is
//!   `needs_approval`; the teams asked are those findings' `approval` values.
//! - A decision (approved or rejected) is made once per run: a second one is
//!   refused ([`Decided::AlreadyDecided`]), also when two arrive at once (the
//!   run id is the table's key).
//! - A decision is bound to the run's fingerprint ([`approval_fingerprint`]):
//!   a hash of the run's drift item fingerprints and its needs_approval
//!   findings (policy, rule, message, team). A later run of the same
//!   workspace with the same fingerprint carries the latest decision made on
//!   that fingerprint forward when it was an approval (a row of its own with
//!   `carried_from` naming the decided run, who, when and why copied); any
//!   change in the drift (a new attribute, a new value, a resource more or
//!   less) or in what the policies ask gives a new fingerprint and needs a new
//!   approval. A rejection is not carried: the next run with the same drift
//!   asks again (it is pending, and fails the pass as a pending approval does).
//! - The stored policy outcome stays `needs_approval`; what counts after a
//!   decision is [`RunApproval::effective_outcome`]: approved → the worst of
//!   the other findings (a `fail` elsewhere still fails), rejected → `fail`.

use super::Store;
use super::db::{Ts, on_pool};
use super::error::{StoreError, query};
use super::model::{Role, RunId, RunStatus, text_enum};
use super::policies::{PolicyFinding, PolicyLevel, RunPolicies};
use super::runs::{col, parse_text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::fmt;
use std::str::FromStr;

/// Longest reason kept with a decision, in characters.
pub const MAX_APPROVAL_REASON_CHARS: usize = 1000;

/// What an approver decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approved,
    Rejected,
}
text_enum!(Decision { Approved => "approved", Rejected => "rejected" });

/// A recorded decision on one run (made on it, or carried forward to it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalDecision {
    /// The run this row belongs to.
    pub run_id: RunId,
    pub workspace: String,
    pub decision: Decision,
    /// The teams the run's findings asked (the decision covers them all).
    pub teams: Vec<String>,
    /// Who decided: the token's label.
    pub actor: String,
    /// The role of the token that decided.
    pub role: Role,
    pub decided_at: DateTime<Utc>,
    pub reason: Option<String>,
    /// The run fingerprint the decision is bound to.
    pub fingerprint: String,
    /// The run the decision was made on, when this run carries it forward.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<RunId>,
}

impl ApprovalDecision {
    /// "approved by alice (approver) at 2026-05-01 12:00 UTC: reason" and,
    /// when carried, where it was decided.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} by {} ({}) at {}",
            self.decision,
            if self.actor.is_empty() {
                "an unnamed token"
            } else {
                &self.actor
            },
            self.role,
            self.decided_at.format("%Y-%m-%d %H:%M:%S UTC")
        );
        match self.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => s.push_str(&format!(": {r}")),
            None => s.push_str(" (no reason given)"),
        }
        if let Some(from) = self.carried_from {
            s.push_str(&format!(
                "; decided on run {from} with the same drift and findings, carried forward"
            ));
        }
        s
    }
}

/// Where a run that needs an approval stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    Pending,
    Approved,
    Rejected,
}

/// The approval of a run whose policies ask for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunApproval {
    pub state: ApprovalState,
    /// The teams asked, sorted.
    pub teams: Vec<String>,
    /// The run's fingerprint (what a decision is bound to).
    pub fingerprint: String,
    /// The decision, once made (or carried forward).
    pub decision: Option<ApprovalDecision>,
    /// One line for people: "awaiting approval from dba" or the decision's
    /// [`ApprovalDecision::summary`].
    pub summary: String,
}

impl RunApproval {
    fn new(teams: Vec<String>, fingerprint: String, decision: Option<ApprovalDecision>) -> Self {
        let (state, summary) = match &decision {
            None => (
                ApprovalState::Pending,
                format!("awaiting approval from {}", teams_text(&teams)),
            ),
            Some(d) => (
                match d.decision {
                    Decision::Approved => ApprovalState::Approved,
                    Decision::Rejected => ApprovalState::Rejected,
                },
                d.summary(),
            ),
        };
        RunApproval {
            state,
            teams,
            fingerprint,
            decision,
            summary,
        }
    }

    /// What the run's policies amount to after the decision: approved → the
    /// worst finding that is not a `needs_approval` one; rejected → `fail`;
    /// pending → the stored outcome.
    pub fn effective_outcome(&self, policies: &RunPolicies) -> PolicyLevel {
        match self.state {
            ApprovalState::Pending => policies.outcome,
            ApprovalState::Approved => approved_outcome(policies),
            ApprovalState::Rejected => policies.outcome.max(PolicyLevel::Fail),
        }
    }
}

/// The outcome of `policies` with every `needs_approval` finding approved.
pub fn approved_outcome(policies: &RunPolicies) -> PolicyLevel {
    policies
        .findings
        .iter()
        .map(|f| f.level)
        .filter(|l| *l != PolicyLevel::NeedsApproval)
        .max()
        .unwrap_or(PolicyLevel::Pass)
}

/// `policies` with the `needs_approval` findings left out (they were
/// approved): what is announced for a run that carries an approval.
pub fn without_approved(policies: &RunPolicies) -> RunPolicies {
    RunPolicies::new(
        policies
            .findings
            .iter()
            .filter(|f| f.level != PolicyLevel::NeedsApproval)
            .cloned()
            .collect(),
    )
}

/// "dba", "dba and platform", "dba, platform and sec"; "an approver" when no
/// finding named a team.
pub fn teams_text(teams: &[String]) -> String {
    match teams {
        [] => "an approver".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The teams the `needs_approval` findings of `policies` ask, sorted, once each.
pub fn teams_asked(policies: &RunPolicies) -> Vec<String> {
    let mut teams: Vec<String> = policies
        .at(PolicyLevel::NeedsApproval)
        .filter_map(|f| f.approval.clone())
        .filter(|t| !t.trim().is_empty())
        .collect();
    teams.sort();
    teams.dedup();
    teams
}

/// What a decision is bound to: sha256 (hex) over the run's drift item
/// fingerprints (as a sorted set, the same ones notification dedup uses) and
/// its `needs_approval` findings (input, policy, rule, message, team; sorted).
/// No time, no run id: the same drift and the same findings give the same
/// fingerprint on every run and machine.
pub fn approval_fingerprint<'a>(
    drift_fingerprints: impl IntoIterator<Item = &'a str>,
    findings: &[PolicyFinding],
) -> String {
    let mut drift: Vec<&str> = drift_fingerprints.into_iter().collect();
    drift.sort_unstable();
    drift.dedup();
    let mut asked: Vec<[&str; 5]> = findings
        .iter()
        .filter(|f| f.level == PolicyLevel::NeedsApproval)
        .map(|f| {
            [
                f.input.as_str(),
                f.policy.as_str(),
                f.rule.as_str(),
                f.msg.as_str(),
                f.approval.as_deref().unwrap_or(""),
            ]
        })
        .collect();
    asked.sort_unstable();
    asked.dedup();
    // JSON arrays: no separator can be forged by a message's text.
    let doc = serde_json::json!({"version": 1, "drift": drift, "needs_approval": asked});
    hex::encode(Sha256::digest(doc.to_string().as_bytes()))
}

/// A decision to record with [`Store::decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub decision: Decision,
    pub actor: String,
    pub role: Role,
    pub reason: Option<String>,
}

/// What [`Store::decide`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decided {
    /// Recorded.
    Decided(ApprovalDecision),
    /// There is no run with that id.
    NoSuchRun,
    /// The run is not finished, or none of its findings asks for an approval.
    NotNeeded { workspace: String, why: String },
    /// The run was decided already (or carries a decision forward).
    AlreadyDecided(ApprovalDecision),
}

const DECISION_COLS: &str = "run_id, workspace, decision, teams, actor, role, decided_at, reason, fingerprint, carried_from";

macro_rules! decision_from_row {
    ($row:expr) => {{
        let row = $row;
        let decision: String = col!(row, "decision", "run_approvals");
        let role: String = col!(row, "role", "run_approvals");
        let teams: String = col!(row, "teams", "run_approvals");
        ApprovalDecision {
            run_id: col!(row, "run_id", "run_approvals"),
            workspace: col!(row, "workspace", "run_approvals"),
            decision: parse_text("run_approvals.decision", &decision)?,
            teams: serde_json::from_str(&teams).map_err(|e| StoreError::Corrupt {
                what: "run_approvals.teams",
                message: e.to_string(),
            })?,
            actor: col!(row, "actor", "run_approvals"),
            role: parse_text("run_approvals.role", &role)?,
            decided_at: col!(row, "decided_at", "run_approvals"),
            reason: col!(row, "reason", "run_approvals"),
            fingerprint: col!(row, "fingerprint", "run_approvals"),
            carried_from: col!(row, "carried_from", "run_approvals"),
        }
    }};
}

/// Inserts `$d` (an `&ApprovalDecision`) unless the run has a decision
/// already; evaluates to whether it was inserted.
macro_rules! insert_decision {
    ($pool:expr, $d:expr) => {{
        let d: &ApprovalDecision = $d;
        sqlx::query(&format!(
            "INSERT INTO run_approvals ({DECISION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (run_id) DO NOTHING"
        ))
        .bind(d.run_id)
        .bind(&d.workspace)
        .bind(d.decision.as_str())
        .bind(serde_json::to_string(&d.teams).unwrap_or_else(|_| "[]".into()))
        .bind(&d.actor)
        .bind(d.role.as_str())
        .bind(Ts(d.decided_at))
        .bind(d.reason.as_deref())
        .bind(&d.fingerprint)
        .bind(d.carried_from)
        .execute($pool)
        .await
        .map_err(query("record an approval decision"))?
        .rows_affected()
            == 1
    }};
}

impl Store {
    /// The decision recorded on run `id`, if any.
    pub async fn approval_decision(
        &self,
        id: RunId,
    ) -> Result<Option<ApprovalDecision>, StoreError> {
        on_pool!(self, pool, d => {
            let row = sqlx::query(&format!("SELECT {DECISION_COLS} FROM run_approvals WHERE run_id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(query("read an approval decision"))?;
            Ok(match row {
                Some(row) => Some(decision_from_row!(&row)),
                None => None,
            })
        })
    }

    /// The drift item fingerprints stored with run `id`.
    async fn drift_fingerprints(&self, id: RunId) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool, d => {
            sqlx::query_scalar("SELECT fingerprint FROM drift_items WHERE run_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(pool)
                .await
                .map_err(query("read drift fingerprints"))
        })
    }

    /// The approval of run `id`: `None` when the run does not exist or none
    /// of its findings asks for an approval.
    pub async fn run_approval(&self, id: RunId) -> Result<Option<RunApproval>, StoreError> {
        let Some(policies) = self.run_policies(id).await? else {
            return Ok(None);
        };
        if policies.count(PolicyLevel::NeedsApproval) == 0 {
            return Ok(None);
        }
        let fps = self.drift_fingerprints(id).await?;
        let fingerprint = approval_fingerprint(fps.iter().map(String::as_str), &policies.findings);
        let decision = self.approval_decision(id).await?;
        Ok(Some(RunApproval::new(
            teams_asked(&policies),
            fingerprint,
            decision,
        )))
    }

    /// Records an approver's decision on run `id` (see the module doc): only
    /// on a finished run that asks for an approval and has no decision yet.
    pub async fn decide(&self, id: RunId, new: NewDecision) -> Result<Decided, StoreError> {
        let run: Option<(String, String)> = on_pool!(self, pool, d => {
            sqlx::query_as("SELECT workspace, status FROM runs WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map_err(query("read a run"))?
        });
        let Some((workspace, status)) = run else {
            return Ok(Decided::NoSuchRun);
        };
        let status: RunStatus = parse_text("runs.status", &status)?;
        if !status.is_finished() {
            return Ok(Decided::NotNeeded {
                workspace,
                why: format!("run {id} is {status}; a run can be decided on once it has finished"),
            });
        }
        let Some(approval) = self.run_approval(id).await? else {
            return Ok(Decided::NotNeeded {
                workspace,
                why: format!("run {id} does not need an approval: no policy finding asks for one"),
            });
        };
        if let Some(existing) = approval.decision {
            return Ok(Decided::AlreadyDecided(existing));
        }
        let decision = ApprovalDecision {
            run_id: id,
            workspace,
            decision: new.decision,
            teams: approval.teams,
            actor: new.actor,
            role: new.role,
            decided_at: self.now().await?,
            reason: new
                .reason
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
            fingerprint: approval.fingerprint,
            carried_from: None,
        };
        let inserted = on_pool!(self, pool, d => insert_decision!(pool, &decision));
        if inserted {
            return Ok(Decided::Decided(decision));
        }
        // Another decision got there first.
        match self.approval_decision(id).await? {
            Some(existing) => Ok(Decided::AlreadyDecided(existing)),
            None => Err(StoreError::InvalidResult {
                run: id,
                message: "the approval decision was neither recorded nor found".into(),
            }),
        }
    }

    /// The approval a new run of `workspace` with `fingerprint` carries
    /// forward: the latest decision made on an earlier run (id below
    /// `before`) with the same fingerprint, when it was an approval.
    pub async fn carried_approval(
        &self,
        workspace: &str,
        fingerprint: &str,
        before: RunId,
    ) -> Result<Option<ApprovalDecision>, StoreError> {
        on_pool!(self, pool, d => {
            let row = sqlx::query(&format!(
                "SELECT {DECISION_COLS} FROM run_approvals \
                 WHERE workspace = $1 AND fingerprint = $2 AND run_id < $3 AND carried_from IS NULL \
                 ORDER BY run_id DESC LIMIT 1"
            ))
            .bind(workspace)
            .bind(fingerprint)
            .bind(before)
            .fetch_optional(pool)
            .await
            .map_err(query("find an approval to carry forward"))?;
            let decision = match row {
                Some(row) => Some(decision_from_row!(&row)),
                None => None,
            };
            Ok(decision.filter(|d| d.decision == Decision::Approved))
        })
    }

    /// Records on run `id` the decision `from` (made on an earlier run) as
    /// carried forward; `false` when the run has a decision already.
    pub async fn carry_approval(
        &self,
        id: RunId,
        from: &ApprovalDecision,
    ) -> Result<bool, StoreError> {
        let carried = ApprovalDecision {
            run_id: id,
            carried_from: Some(from.carried_from.unwrap_or(from.run_id)),
            ..from.clone()
        };
        Ok(on_pool!(self, pool, d => insert_decision!(pool, &carried)))
    }
}

impl fmt::Display for RunApproval {
    /// One line for `runs show`: `approval: <state> — <summary>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            ApprovalState::Pending => "pending",
            ApprovalState::Approved => "approved",
            ApprovalState::Rejected => "rejected",
        };
        writeln!(f, "approval: {state} ({})", self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::InputKind;
    use crate::store::{RunResult, Trigger};
    use std::time::Duration;

    fn asks(team: &str, msg: &str) -> PolicyFinding {
        PolicyFinding {
            input: InputKind::Drift,
            policy: "drift.db".into(),
            rule: "deny".into(),
            level: PolicyLevel::NeedsApproval,
            msg: msg.into(),
            approval: Some(team.into()),
            file: "db.rego".into(),
        }
    }

    fn warn(msg: &str) -> PolicyFinding {
        PolicyFinding {
            level: PolicyLevel::Warn,
            approval: None,
            ..asks("", msg)
        }
    }

    #[test]
    fn the_fingerprint_is_the_drift_set_and_the_findings_asking() {
        let f = [asks("dba", "db drifted"), warn("old")];
        let a = approval_fingerprint(["b", "a"], &f);
        // Order and repeats of the drift set do not matter; warnings do not count.
        assert_eq!(a, approval_fingerprint(["a", "b", "a"], &f[..1]));
        // A drift item more, another message or another team: another fingerprint.
        assert_ne!(a, approval_fingerprint(["a", "b", "c"], &f));
        assert_ne!(
            a,
            approval_fingerprint(["a", "b"], &[asks("dba", "db gone")])
        );
        assert_ne!(
            a,
            approval_fingerprint(["a", "b"], &[asks("sec", "db drifted")])
        );
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn teams_read_as_a_list_and_approval_lifts_only_the_approval() {
        assert_eq!(teams_text(&[]), "an approver");
        assert_eq!(teams_text(&["dba".into()]), "dba");
        assert_eq!(
            teams_text(&["dba".into(), "net".into(), "sec".into()]),
            "dba, net and sec"
        );
        let p = RunPolicies::new(vec![asks("dba", "db"), warn("old")]);
        assert_eq!(p.outcome, PolicyLevel::NeedsApproval);
        assert_eq!(approved_outcome(&p), PolicyLevel::Warn);
        assert_eq!(without_approved(&p).outcome, PolicyLevel::Warn);
        let mut failing = p.findings.clone();
        failing.push(PolicyFinding {
            level: PolicyLevel::Fail,
            ..warn("too big")
        });
        assert_eq!(
            approved_outcome(&RunPolicies::new(failing)),
            PolicyLevel::Fail
        );
    }

    #[tokio::test]
    async fn approver_tokens_are_stored_after_the_role_migration() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let secret = store.create_token(Role::Approver, "alice").await.unwrap();
        let t = store.identify_token(&secret).await.unwrap().unwrap();
        assert_eq!((t.role, t.label.as_str()), (Role::Approver, "alice"));
        assert_eq!(store.list_tokens().await.unwrap()[0].role, Role::Approver);
    }

    async fn finished_run(store: &Store, findings: Vec<PolicyFinding>) -> RunId {
        let (id, _) = store.enqueue("prod", Trigger::Manual, None).await.unwrap();
        store
            .claim("w:1", Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let now = Utc::now();
        let mut r = RunResult::bare(RunStatus::Succeeded, now, now, None);
        r.policies = Some(RunPolicies::new(findings));
        assert!(store.complete(id, "w:1", &r).await.unwrap());
        id
    }

    fn approve(reason: &str) -> NewDecision {
        NewDecision {
            decision: Decision::Approved,
            actor: "alice".into(),
            role: Role::Approver,
            reason: Some(reason.into()),
        }
    }

    #[tokio::test]
    async fn a_decision_is_made_once_and_carried_only_when_approved() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        assert_eq!(
            store.decide(42, approve("x")).await.unwrap(),
            Decided::NoSuchRun
        );
        let plain = finished_run(&store, vec![warn("old")]).await;
        assert!(matches!(
            store.decide(plain, approve("x")).await.unwrap(),
            Decided::NotNeeded { .. }
        ));
        assert_eq!(store.run_approval(plain).await.unwrap(), None);

        let first = finished_run(&store, vec![asks("dba", "db drifted")]).await;
        let pending = store.run_approval(first).await.unwrap().unwrap();
        assert_eq!(pending.state, ApprovalState::Pending);
        assert_eq!(pending.summary, "awaiting approval from dba");
        let Decided::Decided(d) = store.decide(first, approve(" ok for now ")).await.unwrap()
        else {
            panic!("not decided")
        };
        assert_eq!(d.reason.as_deref(), Some("ok for now"));
        assert_eq!(d.teams, ["dba"]);
        let again = store.decide(first, approve("twice")).await.unwrap();
        assert_eq!(again, Decided::AlreadyDecided(d.clone()));
        let read = store.run_approval(first).await.unwrap().unwrap();
        assert_eq!(read.state, ApprovalState::Approved);
        assert!(
            read.summary.starts_with("approved by alice (approver) at ")
                && read.summary.ends_with(": ok for now"),
            "{}",
            read.summary
        );

        // The next run with the same fingerprint carries it; another does not.
        let second = finished_run(&store, vec![asks("dba", "db drifted")]).await;
        let carried = store
            .carried_approval("prod", &pending.fingerprint, second)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(carried.run_id, first);
        assert!(store.carry_approval(second, &carried).await.unwrap());
        let read = store.run_approval(second).await.unwrap().unwrap();
        assert_eq!(read.state, ApprovalState::Approved);
        assert_eq!(read.decision.unwrap().carried_from, Some(first));
        assert!(
            read.summary.contains(&format!("decided on run {first}")),
            "{}",
            read.summary
        );
        assert_eq!(
            store
                .carried_approval("prod", "another", second)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .carried_approval("staging", &pending.fingerprint, second)
                .await
                .unwrap(),
            None
        );

        // A rejection is recorded, and not carried.
        let third = finished_run(&store, vec![asks("dba", "db gone")]).await;
        let fp = store
            .run_approval(third)
            .await
            .unwrap()
            .unwrap()
            .fingerprint;
        let reject = NewDecision {
            decision: Decision::Rejected,
            ..approve("no")
        };
        assert!(matches!(
            store.decide(third, reject).await.unwrap(),
            Decided::Decided(_)
        ));
        assert_eq!(
            store
                .carried_approval("prod", &fp, third + 1)
                .await
                .unwrap(),
            None
        );
    }
}
