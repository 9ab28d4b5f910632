//! The `policy_failed` notification: a run's policy findings that failed,
//! ask for an approval or could not be evaluated, deduplicated like drift.
//!
//! Rules, per workspace:
//! - the set of such findings (input, policy, rule, level, message) is
//!   compared with the set last announced: a different set → one
//!   `policy_failed` naming every finding of it; the same set → nothing,
//!   or the same notification again once the reminder interval has passed;
//! - no such finding any more → nothing is sent (the drift notifications and
//!   the run page say what changed) and the set is forgotten, so the next
//!   failure is announced again;
//! - a scan that failed (no policy results) leaves the state as it was;
//! - `builtin.cost_threshold` findings are left out: the cost threshold has
//!   its own notification (`cost_threshold`).

use super::dedup::{Announced, due};
use crate::notify::Notification;
use crate::notify::message::{NotificationKind, PolicyNote, RunRef};
use crate::scan::WorkspaceScan;
use crate::store::{PolicyFinding, PolicyLevel, RunPolicies};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

/// The policy every cost threshold finding is filed under.
pub const COST_THRESHOLD_POLICY: &str = "builtin.cost_threshold";

fn counts(f: &PolicyFinding) -> bool {
    matches!(
        f.level,
        PolicyLevel::Fail | PolicyLevel::NeedsApproval | PolicyLevel::Error
    ) && f.policy != COST_THRESHOLD_POLICY
}

/// A finding's dedup key: a hash, so the stored state stays small whatever
/// the policies write.
fn key(f: &PolicyFinding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.input.as_str(),
        &f.policy,
        &f.rule,
        f.level.as_str(),
        &f.msg,
        f.approval.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// The notification a run's policy results warrant (if any), updating
/// `announced` (the state after the drift decisions of the same run).
pub fn policy_notification(
    scan: &WorkspaceScan,
    run: &RunRef,
    policies: Option<&RunPolicies>,
    announced: &mut Announced,
    reminder: Option<Duration>,
    now: SystemTime,
) -> Option<Notification> {
    let analysis = scan.analysis.as_ref()?;
    let failing: Vec<&PolicyFinding> = policies
        .map(|p| p.findings.iter().filter(|f| counts(f)).collect())
        .unwrap_or_default();
    let keys: BTreeSet<String> = failing.iter().map(|f| key(f)).collect();
    if keys.is_empty() {
        announced.policy_failed.clear();
        announced.policy_at = None;
        return None;
    }
    if keys == announced.policy_failed && !due(announced.policy_at, reminder, now) {
        return None;
    }
    announced.policy_failed = keys;
    announced.policy_at = Some(now);
    let mut n = Notification::from_analysis(
        NotificationKind::PolicyFailed,
        &scan.workspace,
        run,
        analysis,
        &BTreeSet::new(),
        Vec::new(),
    );
    n.policies = failing
        .into_iter()
        .map(|f| PolicyNote {
            input: f.input.as_str().to_string(),
            policy: f.policy.clone(),
            rule: f.rule.clone(),
            level: f.level.as_str().to_string(),
            msg: f.msg.clone(),
            approval: f.approval.clone(),
        })
        .collect();
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::announce::build::tests::sensitive_analysis;
    use crate::notify::message::tests::{SECRETS, run};
    use crate::policy::InputKind;
    use crate::scan::{Outcome, Timings};

    const HOUR: Duration = Duration::from_secs(3600);

    fn t(hours: u32) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000) + HOUR * hours
    }

    fn scan() -> WorkspaceScan {
        WorkspaceScan {
            workspace: "db-prod".into(),
            outcome: Outcome::Drifted,
            tool_version: None,
            state_source: None,
            analysis: Some(sensitive_analysis()),
            error: None,
            failure: None,
            timings: Timings::default(),
            steps: Vec::new(),
        }
    }

    fn finding(policy: &str, level: PolicyLevel, msg: &str) -> PolicyFinding {
        PolicyFinding {
            input: InputKind::Drift,
            policy: policy.into(),
            rule: "deny".into(),
            level,
            msg: msg.into(),
            approval: (level == PolicyLevel::NeedsApproval).then(|| "dba".into()),
            file: String::new(),
        }
    }

    #[test]
    fn a_failed_set_is_sent_once_then_after_the_reminder_and_again_when_it_changes() {
        let s = scan();
        let fails = RunPolicies::new(vec![
            finding(
                "drift.db",
                PolicyLevel::Fail,
                "aws_db_instance.main drifted",
            ),
            finding("drift.age", PolicyLevel::Warn, "old"),
            finding(COST_THRESHOLD_POLICY, PolicyLevel::Fail, "over"),
        ]);
        let mut a = Announced::default();
        let day = Some(HOUR * 24);
        let n = policy_notification(&s, &run(), Some(&fails), &mut a, day, t(0)).unwrap();
        assert_eq!(n.kind, NotificationKind::PolicyFailed);
        // Warnings and the cost threshold (its own notification) are not in it.
        assert_eq!(n.policies.len(), 1, "{:?}", n.policies);
        assert_eq!(n.policies[0].policy, "drift.db");
        let json = n.to_json();
        assert!(json.contains("\"kind\":\"policy_failed\""), "{json}");
        for secret in SECRETS {
            assert!(!json.contains(secret));
        }
        // The same set: nothing until the reminder interval has passed.
        assert!(policy_notification(&s, &run(), Some(&fails), &mut a, day, t(5)).is_none());
        assert!(policy_notification(&s, &run(), Some(&fails), &mut a, day, t(25)).is_some());
        assert!(policy_notification(&s, &run(), Some(&fails), &mut a, day, t(26)).is_none());
        // A new failure changes the set: sent at once.
        let more = RunPolicies::new(vec![
            finding(
                "drift.db",
                PolicyLevel::Fail,
                "aws_db_instance.main drifted",
            ),
            finding("drift.tags", PolicyLevel::NeedsApproval, "untagged"),
        ]);
        let n = policy_notification(&s, &run(), Some(&more), &mut a, day, t(27)).unwrap();
        assert_eq!(n.policies.len(), 2);
        // Cleared: nothing sent, state forgotten; failing again is news.
        let clean = RunPolicies::new(vec![finding("drift.db", PolicyLevel::Pass, "")]);
        assert!(policy_notification(&s, &run(), Some(&clean), &mut a, day, t(28)).is_none());
        assert!(a.policy_failed.is_empty());
        assert!(policy_notification(&s, &run(), Some(&more), &mut a, day, t(29)).is_some());
    }

    #[test]
    fn every_channel_renders_the_findings() {
        let s = scan();
        let p = RunPolicies::new(vec![
            finding("drift.db", PolicyLevel::NeedsApproval, "db <drifted>"),
            finding("cost.slow", PolicyLevel::Error, "was stopped after 5s"),
        ]);
        let n = policy_notification(&s, &run(), Some(&p), &mut Announced::default(), None, t(0))
            .unwrap();
        let title = crate::notify::render::title(&n);
        assert_eq!(
            title,
            "policy failed in db-prod: 1 awaiting approval, 1 could not be evaluated"
        );
        let lines = crate::notify::render::summary_lines(&n).join("\n");
        assert!(
            lines.contains(
                "Policy drift.db (deny, on the drift input) needs approval from dba: db <drifted>"
            ),
            "{lines}"
        );
        assert!(
            lines.contains("Policy cost.slow (deny, on the drift input) could not be evaluated"),
            "{lines}"
        );
        // Each channel, in its own format (escaped where the format needs it).
        use crate::notify::channels::{email, github_issue, slack, webhook};
        let mail = email::email(&n);
        assert!(mail.subject.contains("policy failed in db-prod"));
        assert!(
            mail.text.contains("needs approval from dba: db <drifted>"),
            "{}",
            mail.text
        );
        assert!(mail.html.contains("db &lt;drifted&gt;"), "{}", mail.html);
        let chat = slack::slack(&n).to_string();
        assert!(
            chat.contains("needs approval from dba: db &lt;drifted&gt;"),
            "{chat}"
        );
        let issue = github_issue::github_issue(&n);
        assert!(
            issue.body.contains("needs approval from dba"),
            "{}",
            issue.body
        );
        let hook: serde_json::Value = serde_json::from_slice(&webhook::webhook_body(&n)).unwrap();
        // Worst first: the error, then the approval asked.
        assert_eq!(hook["policies"][0]["level"], "error");
        assert_eq!(hook["policies"][1]["approval"], "dba");
        assert_eq!(hook["kind"], "policy_failed");
    }
}
