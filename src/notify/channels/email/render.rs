//! Email: a subject and two bodies with the same content, plain text for
//! terminals and filters, HTML for mail clients. Every value in the HTML is
//! escaped; there are no images, scripts or external styles.

use crate::notify::message::{Notification, NotifiedItem};
use crate::notify::render::{cost_text, html_escape, subject, summary_lines, title};
use std::fmt::Write as _;

/// What an email says, before any header is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailBody {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn email(n: &Notification) -> EmailBody {
    EmailBody {
        subject: subject(n),
        text: text(n),
        html: html(n),
    }
}

fn run_line(n: &Notification) -> String {
    match &n.run_url {
        Some(url) => format!("Run {}: {url}", n.run_id),
        None => format!("Run {}", n.run_id),
    }
}

fn item_heading(i: &NotifiedItem) -> String {
    let mut s = format!("{} ({})", i.address, i.kind_label);
    if i.new {
        s.push_str(" [new]");
    }
    s
}

fn text(n: &Notification) -> String {
    let mut out = String::new();
    let t = title(n);
    let mut heading = t[..1].to_uppercase();
    heading.push_str(&t[1..]);
    let _ = writeln!(out, "{heading}\n");
    for line in summary_lines(n) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}", run_line(n));
    if !n.integrity_alerts.is_empty() {
        out.push_str("\nState integrity:\n");
        for a in &n.integrity_alerts {
            let _ = writeln!(out, "  - {}", a.message);
        }
    }
    for i in &n.items {
        let _ = writeln!(out, "\n{}", item_heading(i));
        for c in &i.changes {
            let _ = writeln!(out, "  {}", c.text);
        }
        if let Some(m) = &i.monthly_cost {
            let _ = writeln!(out, "  monthly cost: {}", cost_text(m));
        }
    }
    out.push_str("\n-- \nSent by driftcost for workspace ");
    out.push_str(&n.workspace);
    out.push('\n');
    out
}

fn html(n: &Notification) -> String {
    let e = html_escape;
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family: sans-serif\">\n",
    );
    let _ = writeln!(out, "<h2>{}</h2>", e(&title(n)));
    for line in summary_lines(n) {
        let _ = writeln!(out, "<p>{}</p>", e(&line));
    }
    match &n.run_url {
        Some(url) => {
            let _ = writeln!(
                out,
                "<p>Run <a href=\"{}\">{}</a></p>",
                e(url),
                e(&n.run_id)
            );
        }
        None => {
            let _ = writeln!(out, "<p>Run {}</p>", e(&n.run_id));
        }
    }
    if !n.integrity_alerts.is_empty() {
        out.push_str("<h3>State integrity</h3>\n<ul>\n");
        for a in &n.integrity_alerts {
            let _ = writeln!(out, "<li>{}</li>", e(&a.message));
        }
        out.push_str("</ul>\n");
    }
    if !n.items.is_empty() {
        out.push_str(
            "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n<tr><th>Resource</th><th>Drift</th><th>Changes</th><th>Monthly cost</th></tr>\n",
        );
        for i in &n.items {
            let changes = if i.changes.is_empty() {
                "–".to_string()
            } else {
                i.changes
                    .iter()
                    .map(|c| format!("<code>{}</code>", e(&c.text)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let kind = if i.new {
                format!("{} <b>(new)</b>", e(&i.kind_label))
            } else {
                e(&i.kind_label)
            };
            let cost = i
                .monthly_cost
                .as_ref()
                .map(|m| e(&cost_text(m)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr><td><code>{}</code></td><td>{kind}</td><td>{changes}</td><td>{cost}</td></tr>",
                e(&i.address)
            );
        }
        out.push_str("</table>\n");
    }
    let _ = writeln!(
        out,
        "<p style=\"color: #666\">Sent by driftcost for workspace {}</p>\n</body></html>",
        e(&n.workspace)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::message::NotificationKind;
    use crate::notify::render::tests::{assert_no_secret, detected};

    #[test]
    fn both_bodies_carry_resource_changes_cost_and_run() {
        let b = email(&detected());
        assert_eq!(
            b.subject,
            "[driftcost] drift in db-prod: 1 resource, +$4.60/mo"
        );
        for body in [&b.text, &b.html] {
            assert!(body.contains("aws_db_instance.main"), "{body}");
            assert!(body.contains("allocated_storage: 20 → 50"), "{body}");
            assert!(
                body.contains("password: (sensitive value changed)"),
                "{body}"
            );
            assert!(body.contains("$14.71 → $19.31 (+$4.60)"), "{body}");
            assert!(
                body.contains("https://driftcost.example.com/runs/run-42"),
                "{body}"
            );
            assert!(
                body.contains("state serial went back from 5 to 4"),
                "{body}"
            );
            assert_no_secret(body);
        }
        assert!(b.text.starts_with("Drift in db-prod"));
        assert!(
            b.text
                .contains("aws_db_instance.main (changed outside terraform) [new]")
        );
    }

    #[test]
    fn html_escapes_every_value() {
        let mut n = detected();
        n.workspace = "<script>alert(1)</script>".into();
        n.items[0].changes[0].text = "tags.x: \"<b>\" → \"&\"".into();
        n.kind = NotificationKind::DriftChanged;
        let b = email(&n);
        assert!(!b.html.contains("<script>"), "{}", b.html);
        assert!(b.html.contains("&lt;script&gt;"));
        assert!(b.html.contains("&quot;&lt;b&gt;&quot; → &quot;&amp;&quot;"));
    }
}
