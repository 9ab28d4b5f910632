//! GitHub: the workspace's drift issue (title and Markdown body) and the
//! comments on it. The body starts with a hidden marker naming the workspace,
//! which is how the sender finds the issue again; titles are for people and
//! may change.
//!
//! Values go into `<code>` with HTML escaping and Markdown syntax neutralised,
//! so no value can break the table, mention someone or inject a link.

use crate::escape::markdown_in_html as md;
use crate::notify::message::{Notification, NotificationKind};
use crate::notify::render::{cost_text, cut, plural, summary_lines, title};
use std::fmt::Write as _;

/// GitHub rejects issue and comment bodies over 65,536 characters.
const MAX_BODY: usize = 65_536;
/// Room kept for the end of the body after the table is cut.
const TAIL_ROOM: usize = 2_000;

/// Title and body of an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueText {
    pub title: String,
    pub body: String,
}

/// `<!-- driftcost:workspace=<name> -->`, with any character that could end
/// the comment or confuse matching percent-encoded.
pub fn workspace_marker(workspace: &str) -> String {
    let mut name = String::new();
    let mut prev_dash = false;
    for b in workspace.bytes() {
        let c = b as char;
        let plain = c.is_ascii_alphanumeric() || "._/:@+".contains(c) || (c == '-' && !prev_dash);
        if plain {
            name.push(c);
        } else {
            let _ = write!(name, "%{b:02X}");
        }
        prev_dash = c == '-' && plain;
    }
    format!("<!-- driftcost:workspace={name} -->")
}

/// The issue for a workspace's current drift.
pub fn github_issue(n: &Notification) -> IssueText {
    let mut body = format!("{}\n", workspace_marker(&n.workspace));
    let _ = writeln!(body, "### {}\n", md(&capitalised(&title(n))));
    for line in summary_lines(n) {
        let _ = writeln!(body, "{}\n", md(&line));
    }
    let _ = writeln!(body, "{}\n", run_link(n));
    for a in &n.integrity_alerts {
        let _ = writeln!(body, "> **State integrity:** {}\n", md(&a.message));
    }
    let mut tail = String::from(
        "<sub>Updated by driftcost on every scan; closed when the drift is gone.</sub>\n",
    );
    if !n.items.is_empty() {
        body.push_str("| Resource | Drift | Changes | Monthly cost |\n|---|---|---|---|\n");
        let limit = MAX_BODY - TAIL_ROOM;
        for (k, i) in n.items.iter().enumerate() {
            let changes = if i.changes.is_empty() {
                "–".to_string()
            } else {
                i.changes
                    .iter()
                    .map(|c| code(&cut(&c.text, 300)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let kind = if i.new {
                format!("{} **(new)**", md(&i.kind_label))
            } else {
                md(&i.kind_label)
            };
            let cost = i
                .monthly_cost
                .as_ref()
                .map(|m| md(&cost_text(m)))
                .unwrap_or_default();
            let row = format!("| {} | {kind} | {changes} | {cost} |\n", code(&i.address));
            if body.chars().count() + row.chars().count() > limit {
                let more = n.items.len() - k;
                tail = format!(
                    "\n…and {more} more drifted resource{} not shown (GitHub limits issue bodies); see the run.\n\n{tail}",
                    plural(more)
                );
                break;
            }
            body.push_str(&row);
        }
        body.push('\n');
    }
    body.push_str(&tail);
    IssueText {
        title: format!("driftcost: drift in workspace {}", n.workspace),
        body,
    }
}

/// A comment for events that do not replace the body: resolution, cost
/// threshold, integrity alert, scan failure.
pub fn github_comment(n: &Notification) -> String {
    let mut out = format!("**{}**\n\n", md(&capitalised(&title(n))));
    if n.kind == NotificationKind::DriftResolved {
        out.push_str("Drift is gone: the resources match the recorded state again.\n\n");
    }
    for line in summary_lines(n) {
        let _ = writeln!(out, "{}\n", md(&line));
    }
    for a in &n.integrity_alerts {
        let _ = writeln!(out, "> **State integrity:** {}\n", md(&a.message));
    }
    out.push_str(&run_link(n));
    out.push('\n');
    cut(&out, MAX_BODY)
}

fn run_link(n: &Notification) -> String {
    match &n.run_url {
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            format!(
                "Run [{}]({})",
                md(&n.run_id),
                url.replace(['(', ')', ' '], "")
            )
        }
        _ => format!("Run {}", md(&n.run_id)),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", md(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::message::NotifiedChange;
    use crate::notify::render::tests::{assert_no_secret, detected};

    #[test]
    fn marker_is_exact_and_cannot_be_confused() {
        assert_eq!(
            workspace_marker("network-prod"),
            "<!-- driftcost:workspace=network-prod -->"
        );
        let tricky = workspace_marker("a --> b");
        assert_eq!(tricky, "<!-- driftcost:workspace=a%20-%2D%3E%20b -->");
        assert!(!workspace_marker("network-prod").contains(&workspace_marker("network")));
    }

    #[test]
    fn issue_body_has_marker_table_cost_and_no_secret() {
        let i = github_issue(&detected());
        assert_eq!(i.title, "driftcost: drift in workspace db-prod");
        assert!(i.body.starts_with("<!-- driftcost:workspace=db-prod -->\n"));
        assert!(i.body.contains(
            "| <code>aws&#95;db&#95;instance.main</code> | changed outside terraform **(new)** |"
        ), "{}", i.body);
        assert!(
            i.body
                .contains("<code>allocated&#95;storage: 20 → 50</code>")
        );
        assert!(
            i.body
                .contains("<code>password: (sensitive value changed)</code>")
        );
        assert!(i.body.contains("$14.71 → $19.31 (+$4.60)"));
        assert!(
            i.body
                .contains("Run [run-42](https://driftcost.example.com/runs/run-42)")
        );
        assert_no_secret(&i.body);
    }

    #[test]
    fn huge_drift_is_cut_under_githubs_limit() {
        let mut n = detected();
        let template = n.items[0].clone();
        n.items = (0..3000)
            .map(|k| {
                let mut i = template.clone();
                i.address = format!("aws_instance.web[{k}]");
                i.changes = vec![NotifiedChange {
                    path: "tags.x".into(),
                    text: format!("tags.x: \"{}\" → \"b\"", "a".repeat(50)),
                    sensitive: false,
                }];
                i
            })
            .collect();
        let body = github_issue(&n).body;
        assert!(body.chars().count() <= MAX_BODY);
        assert!(
            body.contains("more drifted resources not shown"),
            "{}",
            &body[body.len() - 400..]
        );
    }

    #[test]
    fn comment_neutralises_mentions_and_links() {
        let mut n = detected();
        n.kind = NotificationKind::DriftResolved;
        n.items.clear();
        n.resolved = vec!["aws_instance.x".into()];
        n.workspace = "@org/team [x](http://evil)".into();
        let c = github_comment(&n);
        assert!(
            c.starts_with("**Drift resolved in &#64;org/team &#91;x&#93;(http://evil)**"),
            "{c}"
        );
        assert!(c.contains("No longer drifting: aws&#95;instance.x."));
    }
}
