//! Slack: a Block Kit message for an incoming webhook. A header, a summary
//! section, one section per drifted resource and a context line with the run
//! link. Slack rejects a message with more than 50 blocks or a section text
//! over 3000 characters, so resources and changes past those limits are
//! replaced by an "…and N more" note instead.

use crate::escape::slack_mrkdwn as escape;
use crate::notify::message::{Notification, NotifiedItem};
use crate::notify::render::{cost_text, cut, subject, summary_lines, title};
use serde_json::{Value, json};

/// Slack's limit on blocks per message.
pub const SLACK_MAX_BLOCKS: usize = 50;
/// Slack's limit on a section's text.
pub const SLACK_MAX_TEXT: usize = 3000;
/// Slack's limit on a header's plain text.
const MAX_HEADER: usize = 150;

/// The webhook payload (`text` is the notification fallback).
pub fn slack(n: &Notification) -> Value {
    let mut blocks = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": cut(&title(n), MAX_HEADER), "emoji": false}
    })];
    let mut summary: Vec<String> = summary_lines(n).iter().map(|l| escape(l)).collect();
    for a in &n.integrity_alerts {
        summary.push(format!(
            ":warning: *State integrity:* {}",
            escape(&a.message)
        ));
    }
    if !summary.is_empty() {
        blocks.push(section(&fit_lines(&summary, SLACK_MAX_TEXT)));
    }
    // Header, summary, the "more" note and the context stay; items get the rest.
    let room = SLACK_MAX_BLOCKS - blocks.len() - 2;
    let shown = n.items.len().min(room);
    for i in &n.items[..shown] {
        blocks.push(section(&item_text(i)));
    }
    if shown < n.items.len() {
        let more = n.items.len() - shown;
        blocks.push(section(&format!(
            "…and {more} more drifted resource{}; open the run for the full list.",
            crate::notify::render::plural(more)
        )));
    }
    let run = match &n.run_url {
        Some(url) => format!("Run <{}|{}>", escape(url), escape(&n.run_id)),
        None => format!("Run {}", escape(&n.run_id)),
    };
    blocks.push(json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": cut(&format!("{run} · workspace {} · driftcost", escape(&n.workspace)), SLACK_MAX_TEXT)}]
    }));
    json!({ "text": subject(n), "blocks": blocks })
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})
}

fn item_text(i: &NotifiedItem) -> String {
    let mut head = format!("*`{}`* — {}", code(&i.address), escape(&i.kind_label));
    if i.new {
        head.push_str(" _(new)_");
    }
    let mut lines = vec![head];
    lines.extend(i.changes.iter().map(|c| format!("• `{}`", code(&c.text))));
    if let Some(m) = &i.monthly_cost {
        lines.push(format!("Monthly cost: {}", escape(&cost_text(m))));
    }
    fit_lines(&lines, SLACK_MAX_TEXT)
}

/// Joins lines, dropping whole lines from the end (with a note) to stay under `max`.
fn fit_lines(lines: &[String], max: usize) -> String {
    let total: String = lines.join("\n");
    if total.chars().count() <= max {
        return total;
    }
    let mut out = String::new();
    for (k, line) in lines.iter().enumerate() {
        let note = format!("\n…and {} more", lines.len() - k);
        let len = out.chars().count() + 1 + line.chars().count();
        if len + note.chars().count() > max {
            if out.is_empty() {
                // A single line longer than the limit: cut it.
                return cut(line, max);
            }
            out.push_str(&note);
            return out;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// Inside backticks, a backtick would end the code span; keep it visible but harmless.
fn code(s: &str) -> String {
    escape(&s.replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::message::{NotificationKind, NotifiedChange};
    use crate::notify::render::tests::{assert_no_secret, detected};

    #[test]
    fn blocks_have_header_sections_and_run_link() {
        let v = slack(&detected());
        assert_eq!(
            v["text"],
            "[driftcost] drift in db-prod: 1 resource, +$4.60/mo"
        );
        let blocks = v["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["type"], "header");
        assert_eq!(
            blocks[0]["text"]["text"],
            "drift in db-prod: 1 resource, +$4.60/mo"
        );
        let item = blocks[2]["text"]["text"].as_str().unwrap();
        assert!(
            item.starts_with("*`aws_db_instance.main`* — changed outside terraform _(new)_"),
            "{item}"
        );
        assert!(item.contains("• `allocated_storage: 20 → 50`"));
        assert!(item.contains("• `password: (sensitive value changed)`"));
        assert!(item.contains("Monthly cost: $14.71 → $19.31 (+$4.60)"));
        let ctx = &blocks.last().unwrap()["elements"][0]["text"];
        assert_eq!(
            ctx,
            "Run <https://driftcost.example.com/runs/run-42|run-42> · workspace db-prod · driftcost"
        );
        assert_no_secret(&v.to_string());
    }

    #[test]
    fn stays_within_slacks_limits() {
        let mut n = detected();
        n.kind = NotificationKind::DriftChanged;
        let template = n.items[0].clone();
        n.items = (0..120)
            .map(|k| {
                let mut i = template.clone();
                i.address = format!("aws_instance.web[{k}]");
                i.changes = (0..200)
                    .map(|c| NotifiedChange {
                        path: format!("tags.k{c}"),
                        text: format!("tags.k{c}: \"{}\" → \"b\"", "a".repeat(40)),
                        sensitive: false,
                    })
                    .collect();
                i
            })
            .collect();
        let v = slack(&n);
        let blocks = v["blocks"].as_array().unwrap();
        assert_eq!(blocks.len(), SLACK_MAX_BLOCKS);
        for b in blocks {
            if let Some(t) = b["text"]["text"].as_str() {
                assert!(
                    t.chars().count() <= SLACK_MAX_TEXT,
                    "{} chars",
                    t.chars().count()
                );
            }
        }
        let first = blocks[2]["text"]["text"].as_str().unwrap();
        assert!(first.contains("more"), "{first}");
        assert!(first.ends_with("more"));
        let more = blocks[blocks.len() - 2]["text"]["text"].as_str().unwrap();
        assert_eq!(
            more,
            "…and 74 more drifted resources; open the run for the full list."
        );
    }

    #[test]
    fn escapes_mrkdwn_controls() {
        let mut n = detected();
        n.items[0].changes[0].text = "tags.x: \"<!channel>\" → \"`&`\"".into();
        let v = slack(&n);
        let item = v["blocks"][2]["text"]["text"].as_str().unwrap();
        assert!(item.contains("&lt;!channel&gt;"), "{item}");
        assert!(item.contains("'&amp;'"), "{item}");
        assert!(!item.contains("<!channel>"));
    }
}
