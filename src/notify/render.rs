//! What every channel's `render.rs` shares when turning a [`Notification`]
//! into its format. No I/O; every function here is pure, so what a channel
//! would receive can be tested without a server.
//!
//! All channels share the same wording ([`title`], [`subject`]) and money
//! format (`$12.34`, deltas signed). Values arrive as display text already
//! masked by the drift engine; each renderer escapes them for its format.

pub(crate) use crate::escape::html as html_escape;

use super::message::{MoneyChange, Notification, NotificationKind};
use rust_decimal::Decimal;

/// One line saying what happened, e.g. `drift in network-prod: 3 resources, +$62.49/mo`.
pub fn title(n: &Notification) -> String {
    let ws = &n.workspace;
    let drift = || {
        let count = n.items.len();
        let mut s = format!("{count} resource{}", plural(count));
        if let Some(delta) = n.monthly_cost.and_then(|m| m.delta) {
            s.push_str(&format!(", {}/mo", signed_money(delta)));
        }
        s.push_str(&unpriced_note(n.monthly_cost.as_ref()));
        s
    };
    match n.kind {
        NotificationKind::DriftDetected => format!("drift in {ws}: {}", drift()),
        NotificationKind::DriftChanged => format!("drift changed in {ws}: {}", drift()),
        NotificationKind::Reminder => format!("still drifting in {ws}: {}", drift()),
        NotificationKind::DriftResolved => format!("drift resolved in {ws}"),
        NotificationKind::CostThreshold => match n.threshold {
            Some(t) => format!(
                "cost {} threshold crossed in {ws}: {}/mo{} (limit {})",
                t.level.as_str(),
                t.monthly_delta
                    .map(signed_money)
                    .unwrap_or_else(|| "unknown".into()),
                unpriced_suffix(t.unpriced_components),
                money(t.limit)
            ),
            None => format!("cost threshold crossed in {ws}"),
        },
        NotificationKind::IntegrityAlert => format!("state integrity alert in {ws}"),
        NotificationKind::ScanFailed => format!("scan failed in {ws}"),
        NotificationKind::PolicyFailed => {
            let count = |level: &str| n.policies.iter().filter(|p| p.level == level).count();
            let (fail, approval, error) = (count("fail"), count("needs_approval"), count("error"));
            let mut parts = Vec::new();
            if fail > 0 {
                parts.push(format!("{fail} failed"));
            }
            if approval > 0 {
                parts.push(format!("{approval} awaiting approval"));
            }
            if error > 0 {
                parts.push(format!("{error} could not be evaluated"));
            }
            if parts.is_empty() {
                format!("policy failed in {ws}")
            } else {
                format!("policy failed in {ws}: {}", parts.join(", "))
            }
        }
    }
}

/// The email subject and chat fallback text: `[driftcost] ` + [`title`].
pub fn subject(n: &Notification) -> String {
    format!("[driftcost] {}", title(n))
}

/// Sentences under the title, shared by every channel (plain text).
pub(crate) fn summary_lines(n: &Notification) -> Vec<String> {
    let mut out = Vec::new();
    if !n.items.is_empty() {
        let changes = n.summary.attribute_changes;
        let mut s = format!(
            "{} drifted resource{}, {} attribute change{}",
            n.items.len(),
            plural(n.items.len()),
            changes,
            plural(changes)
        );
        let new = n.items.iter().filter(|i| i.new).count();
        if n.kind == NotificationKind::DriftChanged && new > 0 {
            s.push_str(&format!(" ({new} new or changed)"));
        }
        s.push('.');
        out.push(s);
    }
    if let Some(m) = n.monthly_cost {
        out.push(format!("Monthly cost: {}.", cost_text(&m)));
        if let Some(s) = crate::drift::report::unpriced_sentence(m.unpriced_components) {
            out.push(format!("{}{}.", s[..1].to_uppercase(), &s[1..]));
        }
    }
    if let Some(t) = n.threshold {
        let delta = t
            .monthly_delta
            .map(signed_money)
            .unwrap_or_else(|| "(nothing priced on both sides)".into());
        if t.unpriced_components > 0 && t.monthly_delta.is_none_or(|d| d < t.limit) {
            out.push(format!(
                "The monthly cost delta {delta} leaves out {} component{} without a price, so it cannot be shown to stay under the {} threshold of {}; set cost_threshold.allow_unpriced = true in the job to judge on priced components only.",
                t.unpriced_components,
                plural(t.unpriced_components),
                t.level.as_str(),
                money(t.limit)
            ));
        } else {
            out.push(format!(
                "The monthly cost delta {delta} reached the {} threshold of {}.",
                t.level.as_str(),
                money(t.limit)
            ));
        }
    }
    if !n.resolved.is_empty() {
        out.push(format!("No longer drifting: {}.", n.resolved.join(", ")));
    }
    if let Some(e) = &n.error {
        out.push(format!("The scan failed: {e}"));
    }
    for p in &n.policies {
        let what = match p.level.as_str() {
            "needs_approval" => format!(
                "needs approval from {}",
                p.approval.as_deref().unwrap_or("an approver")
            ),
            "error" => "could not be evaluated".to_string(),
            other => other.to_string(),
        };
        let rule = if p.rule.is_empty() {
            String::new()
        } else {
            format!("{}, ", p.rule)
        };
        out.push(format!(
            "Policy {} ({rule}on the {} input) {what}: {}",
            p.policy,
            p.input,
            cut(&p.msg, MAX_POLICY_MSG)
        ));
    }
    if let Some(line) = awaiting_approval(n) {
        out.push(line);
    }
    out
}

/// "Awaiting approval from dba and sec: …" with where to decide, when a
/// finding asks for an approval.
fn awaiting_approval(n: &Notification) -> Option<String> {
    let mut teams: Vec<&str> = n
        .policies
        .iter()
        .filter(|p| p.level == "needs_approval")
        .map(|p| p.approval.as_deref().unwrap_or("an approver"))
        .collect();
    if teams.is_empty() {
        return None;
    }
    teams.sort_unstable();
    teams.dedup();
    let teams = match teams.as_slice() {
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => return None,
    };
    let whom = "a token with role approver or admin";
    Some(match &n.run_url {
        Some(url) => format!(
            "Awaiting approval from {teams}: {whom} approves or rejects run {} on its page {url}",
            n.run_id
        ),
        None => format!(
            "Awaiting approval from {teams}: {whom} approves or rejects run {} (POST /v1/runs/{}/approve or /reject)",
            n.run_id, n.run_id
        ),
    })
}

/// Longest policy message a notification repeats, in characters (the run
/// page has the whole text).
const MAX_POLICY_MSG: usize = 500;

pub(crate) fn cost_text(m: &MoneyChange) -> String {
    let side = |d: Option<Decimal>| d.map(money).unwrap_or_else(|| "?".into());
    let text = match m.delta {
        Some(delta) => format!(
            "{} → {} ({})",
            side(m.before),
            side(m.after),
            signed_money(delta)
        ),
        None => format!("{} → {}", side(m.before), side(m.after)),
    };
    format!("{text}{}", unpriced_note(Some(m)))
}

/// `, N unpriced components not included` when amounts leave components out.
fn unpriced_note(m: Option<&MoneyChange>) -> String {
    unpriced_suffix(m.map_or(0, |m| m.unpriced_components))
}

fn unpriced_suffix(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    format!(", {n} unpriced component{} not included", plural(n))
}

pub(crate) fn money(d: Decimal) -> String {
    format!("${}", crate::cost::round_cents(d))
}

pub(crate) fn signed_money(d: Decimal) -> String {
    if d.is_sign_negative() && !d.is_zero() {
        format!("-{}", money(-d))
    } else {
        format!("+{}", money(d))
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub(crate) fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::notify::message::tests::{SECRETS, run, sensitive_drift};
    use crate::notify::message::{CostLevel, ThresholdInfo};
    use rust_decimal_macros::dec;
    use std::collections::BTreeSet;

    pub(crate) fn detected() -> Notification {
        let a = sensitive_drift();
        let new: BTreeSet<String> = a
            .result
            .items
            .iter()
            .map(|i| i.fingerprint.clone())
            .collect();
        Notification::from_drift(
            NotificationKind::DriftDetected,
            "db-prod",
            &run(),
            a.drifted(),
            &new,
            Vec::new(),
        )
    }

    pub(crate) fn assert_no_secret(out: &str) {
        for s in SECRETS {
            assert!(!out.contains(s), "secret {s} leaked: {out}");
        }
    }

    #[test]
    fn subject_names_workspace_count_and_delta() {
        let n = detected();
        assert_eq!(
            subject(&n),
            "[driftcost] drift in db-prod: 1 resource, +$4.60/mo"
        );
        let mut t = n.clone();
        t.kind = NotificationKind::CostThreshold;
        t.threshold = Some(ThresholdInfo {
            level: CostLevel::Fail,
            limit: dec!(2),
            monthly_delta: Some(dec!(4.6)),
            unpriced_components: 0,
        });
        assert_eq!(
            title(&t),
            "cost fail threshold crossed in db-prod: +$4.60/mo (limit $2.00)"
        );
        let mut r = n.clone();
        r.kind = NotificationKind::DriftResolved;
        assert_eq!(title(&r), "drift resolved in db-prod");
    }

    #[test]
    fn money_is_signed_and_rounded() {
        assert_eq!(signed_money(dec!(-3.456)), "-$3.46");
        assert_eq!(signed_money(dec!(0)), "+$0.00");
        assert_eq!(money(dec!(62.489)), "$62.49");
        // The one rule (cost::money): half away from zero, as `scan` and the
        // cost reports show it; banker's rounding gave $0.12 here.
        assert_eq!(money(dec!(0.125)), "$0.13");
        assert_eq!(signed_money(dec!(-30.365)), "-$30.37");
    }

    #[test]
    fn a_pending_approval_says_from_whom_and_where_to_decide() {
        let note = |team: Option<&str>| crate::notify::message::PolicyNote {
            input: "drift".into(),
            policy: "drift.db".into(),
            rule: "deny".into(),
            level: "needs_approval".into(),
            msg: "db drifted".into(),
            approval: team.map(str::to_string),
        };
        let mut n = detected();
        n.kind = NotificationKind::PolicyFailed;
        assert_eq!(awaiting_approval(&n), None);
        n.policies = vec![note(Some("sec")), note(Some("dba")), note(Some("dba"))];
        let lines = summary_lines(&n).join("\n");
        assert!(
            lines.contains(
                "Awaiting approval from dba and sec: a token with role approver or admin approves or rejects run run-42 on its page https://driftcost.example.com/runs/run-42"
            ),
            "{lines}"
        );
        n.run_url = None;
        n.policies = vec![note(None)];
        assert_eq!(
            awaiting_approval(&n).unwrap(),
            "Awaiting approval from an approver: a token with role approver or admin approves or rejects run run-42 (POST /v1/runs/run-42/approve or /reject)"
        );
    }
}
