//! The comment's Markdown: our marker, then the cost Markdown of every plan,
//! shortened when GitHub would refuse it.
//!
//! Shortening works on whole lines of the collapsible `<details>` sections,
//! largest section first, from its end, so the summary table (the part
//! everybody reads) stays whole. Each cut section says how many lines it
//! lost, and a visible note under the summary says which sections were cut.
//! Only when the summary itself is too long (thousands of projects) is the
//! comment cut at a line, with a note.

use super::workspace::{WorkspaceDrift, WorkspaceFailure, render_drift, render_failures};
use crate::output::{CostReport, Format, render};
use crate::policy::{Evaluation, render_markdown as render_policies};

/// GitHub refuses issue and pull-request comments longer than this many
/// characters (not bytes).
pub const MAX_COMMENT_CHARS: usize = 65_536;

/// The hidden line that identifies our comment on a pull request: `update`
/// edits the comment that carries it, the other behaviours hide or delete
/// those that do. The repository is validated OWNER/NAME before it gets
/// here; `--` is still escaped so nothing can end the HTML comment early.
pub fn comment_marker(repo: &str, pr: u64) -> String {
    let safe = repo
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("--", "-&#45;");
    format!("<!-- driftcost:comment repo={safe} pr={pr} -->")
}

/// The hidden line that records which head commit a comment was computed
/// for, so the webhook does not post again for a commit it already did.
/// `sha` is a hex commit id (checked by the caller).
pub fn head_sha_marker(sha: &str) -> String {
    format!("<!-- driftcost:head-sha={sha} -->")
}

/// What the comment shows besides the cost: drift per workspace, the
/// workspaces that could not be planned, the policy results and the head
/// commit it was computed for.
#[derive(Debug, Default, Clone, Copy)]
pub struct CommentExtras<'a> {
    pub drift: &'a [WorkspaceDrift],
    pub failed: &'a [WorkspaceFailure],
    pub head_sha: Option<&'a str>,
    /// Policy results (`--policy`): a "Policies" section, failed first, then warnings.
    pub policies: Option<&'a Evaluation>,
}

/// The whole comment body for `report`, at most [`MAX_COMMENT_CHARS`]
/// (counted in bytes, to be safe), starting with `marker`.
pub fn render_comment(report: &CostReport, marker: &str) -> String {
    render_within(report, marker, MAX_COMMENT_CHARS)
}

/// [`render_comment`] with a drift section (collapsible, per workspace,
/// sensitive values masked) and the head-commit marker when given.
pub fn render_comment_with(report: &CostReport, marker: &str, extras: CommentExtras<'_>) -> String {
    shorten(full_text(report, marker, extras), MAX_COMMENT_CHARS)
}

fn full_text(report: &CostReport, marker: &str, extras: CommentExtras<'_>) -> String {
    let mut full = format!("{marker}\n");
    if let Some(sha) = extras.head_sha {
        full.push_str(&head_sha_marker(sha));
        full.push('\n');
    }
    full.push_str(&render(Format::Markdown, report));
    if let Some(eval) = extras.policies {
        full.push_str("\n#### Policies\n\n");
        let section = render_policies(eval);
        if section.is_empty() {
            full.push_str("No policy rule was evaluated.\n");
        } else {
            full.push_str(&section);
        }
    }
    if !extras.failed.is_empty() {
        full.push_str("\n#### Not priced\n\n");
        full.push_str(&render_failures(extras.failed));
    }
    let drift = render_drift(extras.drift);
    if !drift.is_empty() {
        full.push_str("\n#### Drift found while planning\n\n");
        full.push_str(&drift);
    }
    full
}

/// The comment when no workspace of the pull request could be planned: no
/// cost at all, and why for each. Without a head-commit marker, so a
/// redelivery (after fixing a runner problem) plans again.
pub fn render_failure_notice(marker: &str, failed: &[WorkspaceFailure]) -> String {
    let mut full = format!("{marker}\n");
    full.push_str("### driftcost could not plan this pull request\n\n");
    full.push_str("No workspace touched by this pull request could be planned, so there is no cost estimate.\n\n");
    full.push_str(&render_failures(failed));
    shorten(full, MAX_COMMENT_CHARS)
}

pub(crate) fn render_within(report: &CostReport, marker: &str, limit: usize) -> String {
    shorten(full_text(report, marker, CommentExtras::default()), limit)
}

fn shorten(full: String, limit: usize) -> String {
    if chars(&full) <= limit {
        return full;
    }
    let mut pieces = split(&full);
    let mut order: Vec<usize> = (0..pieces.len())
        .filter(|&i| matches!(pieces[i], Piece::Details { .. }))
        .collect();
    order.sort_by_key(|&i| std::cmp::Reverse(pieces[i].body_chars()));
    for i in order {
        loop {
            let text = assemble(&pieces);
            let over = chars(&text).saturating_sub(limit);
            if over == 0 {
                return text;
            }
            let Piece::Details { lines, kept, .. } = &mut pieces[i] else {
                unreachable!("only details sections are in the order")
            };
            if *kept == 0 {
                break;
            }
            let mut removed = 0;
            while *kept > 0 && removed < over {
                *kept -= 1;
                removed += chars(&lines[*kept]) + 1;
            }
        }
    }
    let text = assemble(&pieces);
    if chars(&text) <= limit {
        return text;
    }
    hard_cut(&text, limit)
}

/// A part of the rendered Markdown: plain text, or a collapsible section
/// whose first `kept` body lines are shown.
enum Piece {
    Text(String),
    Details {
        summary: String,
        lines: Vec<String>,
        kept: usize,
    },
}

impl Piece {
    fn body_chars(&self) -> usize {
        match self {
            Piece::Text(_) => 0,
            Piece::Details { lines, .. } => lines.iter().map(|l| chars(l) + 1).sum(),
        }
    }
}

/// Splits the renderer's output at `<details>` … `</details>` lines. Table
/// cells and summaries are escaped by the renderer, so those lines only ever
/// open and close sections.
fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut plain = String::new();
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let summary = lines.peek().map(|l| l.trim_end_matches('\n'));
        if line == "<details>\n" && summary.is_some_and(|s| s.starts_with("<summary>")) {
            let summary = summary.unwrap_or_default().to_string();
            lines.next();
            let mut body = Vec::new();
            let mut closed = false;
            for l in lines.by_ref() {
                if l == "</details>\n" || l == "</details>" {
                    closed = true;
                    break;
                }
                body.push(l.trim_end_matches('\n').to_string());
            }
            if !closed {
                // Not the renderer's shape: keep it as text, cut only by hard_cut.
                plain.push_str(line);
                plain.push_str(&summary);
                plain.push('\n');
                for l in body {
                    plain.push_str(&l);
                    plain.push('\n');
                }
                continue;
            }
            if !plain.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut plain)));
            }
            let kept = body.len();
            pieces.push(Piece::Details {
                summary,
                lines: body,
                kept,
            });
        } else {
            plain.push_str(line);
        }
    }
    if !plain.is_empty() {
        pieces.push(Piece::Text(plain));
    }
    pieces
}

fn assemble(pieces: &[Piece]) -> String {
    let cuts: Vec<(String, usize)> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Details {
                summary,
                lines,
                kept,
            } if *kept < lines.len() => Some((summary_title(summary), lines.len() - *kept)),
            _ => None,
        })
        .collect();
    let mut out = String::new();
    let mut noted = cuts.is_empty();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Details {
                summary,
                lines,
                kept,
            } => {
                if !noted {
                    // Visible, above the first section, right under the summary table.
                    out.push_str(&shortened_note(&cuts));
                    noted = true;
                }
                out.push_str("<details>\n");
                out.push_str(summary);
                out.push('\n');
                for l in &lines[..*kept] {
                    out.push_str(l);
                    out.push('\n');
                }
                if *kept < lines.len() {
                    out.push_str(&format!(
                        "\n_…{} more line{} cut to fit GitHub's comment limit; run `driftcost cost diff` on this plan for all of it._\n\n",
                        lines.len() - kept,
                        if lines.len() - kept == 1 { "" } else { "s" }
                    ));
                }
                out.push_str("</details>\n");
            }
        }
    }
    out
}

fn shortened_note(cuts: &[(String, usize)]) -> String {
    let list: Vec<String> = cuts
        .iter()
        .map(|(name, n)| format!("{n} from {name}"))
        .collect();
    format!(
        "> **Shortened:** GitHub allows {MAX_COMMENT_CHARS} characters per comment, so lines of the details below were cut ({}).\n\n",
        list.join(", ")
    )
}

/// The project part of `<summary>prod: +$1.00 (+5%), 3 resources changed</summary>`.
fn summary_title(summary: &str) -> String {
    let inner = summary
        .trim_start_matches("<summary>")
        .trim_end_matches("</summary>");
    // The change and the count after the last ": " never contain one.
    match inner.rfind(": ") {
        Some(i) => inner[..i].to_string(),
        None => inner.to_string(),
    }
}

/// Last resort: whole lines up to the limit, then a note.
fn hard_cut(text: &str, limit: usize) -> String {
    let note = "\n> **Shortened:** this comment was cut here to fit GitHub's comment limit; run `driftcost cost diff` on the plans for all of it.\n";
    let budget = limit.saturating_sub(chars(note));
    let mut out = String::new();
    let mut used = 0;
    for line in text.split_inclusive('\n') {
        let n = chars(line);
        if used + n > budget {
            break;
        }
        out.push_str(line);
        used += n;
    }
    out.push_str(note);
    out
}

/// Length as GitHub may count it: UTF-8 bytes are never fewer than the
/// characters or UTF-16 units, so a body within the limit in bytes is within
/// it however GitHub counts (`↳` is 1 character, 3 bytes).
fn chars(s: &str) -> usize {
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::{CostOptions, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use serde_json::json;
    use std::path::Path;

    /// A plan creating `n` priced EC2 instances and `n` EBS volumes with long
    /// for_each keys, like a big fleet change.
    fn huge_plan(n: usize, key_len: usize) -> Vec<u8> {
        let mut changes = Vec::new();
        for i in 0..n {
            let key = format!("{i:05}-{}", "x".repeat(key_len));
            changes.push(json!({
                "address": format!("aws_instance.fleet[\"{key}\"]"),
                "mode": "managed", "type": "aws_instance", "name": "fleet",
                "index": key,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null,
                    "after": {"instance_type": "m5.large", "tenancy": "default",
                        "root_block_device": [{"volume_size": 20, "volume_type": "gp3"}]},
                    "after_unknown": {}}
            }));
            changes.push(json!({
                "address": format!("aws_ebs_volume.data[\"{key}\"]"),
                "mode": "managed", "type": "aws_ebs_volume", "name": "data",
                "index": key,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null,
                    "after": {"availability_zone": "us-east-1a", "type": "gp3", "size": 100},
                    "after_unknown": {}}
            }));
        }
        serde_json::to_vec(&json!({
            "format_version": "1.2",
            "terraform_version": "1.11.0",
            "resource_changes": changes,
        }))
        .unwrap()
    }

    fn report(plans: &[(&str, Vec<u8>)]) -> CostReport {
        let projects = plans
            .iter()
            .map(|(name, bytes)| {
                let plan = parse_plan(bytes, Path::new(name)).unwrap();
                let opts = CostOptions {
                    project_name: name.to_string(),
                    ..CostOptions::default()
                };
                estimate(&plan, PriceTable::embedded(), &opts)
            })
            .collect();
        CostReport::new(projects, String::new())
    }

    const MARKER: &str = "<!-- driftcost:comment repo=acme/infra pr=7 -->";

    #[test]
    fn marker_names_repo_and_pr_and_cannot_close_early() {
        assert_eq!(
            comment_marker("acme/infra", 7),
            "<!-- driftcost:comment repo=acme/infra pr=7 -->"
        );
        assert_eq!(
            comment_marker("a--b/c>", 1),
            "<!-- driftcost:comment repo=a-&#45;b/c&gt; pr=1 -->"
        );
    }

    #[test]
    fn small_comment_is_the_cost_markdown_under_our_marker() {
        let r = report(&[("prod", huge_plan(2, 4)), ("dev", huge_plan(1, 4))]);
        let text = render_comment(&r, MARKER);
        assert!(text.starts_with(&format!(
            "{MARKER}\n{}\n{}\n",
            crate::output::marker("prod"),
            crate::output::marker("dev")
        )));
        assert_eq!(text, format!("{MARKER}\n{}", render(Format::Markdown, &r)));
        assert!(!text.contains("Shortened"));
        assert_eq!(text.matches("<details>").count(), 2);
    }

    #[test]
    fn huge_plans_are_shortened_largest_details_first_never_past_the_limit() {
        let big = huge_plan(3000, 400);
        let r = report(&[
            ("small", huge_plan(3, 4)),
            ("big", big.clone()),
            ("big2", big),
        ]);
        let full = format!("{MARKER}\n{}", render(Format::Markdown, &r));
        assert!(chars(&full) > MAX_COMMENT_CHARS, "{}", chars(&full));
        let text = render_comment(&r, MARKER);
        let n = chars(&text);
        assert!(n <= MAX_COMMENT_CHARS, "{n}");
        // Close to the limit: only what had to go was cut.
        assert!(n > MAX_COMMENT_CHARS - 2_000, "{n}");
        assert!(text.starts_with(MARKER));
        // The summary table and every project's marker and section survive.
        for p in ["small", "big", "big2"] {
            assert!(text.contains(&crate::output::marker(p)), "{p}");
            assert!(text.contains(&format!("<summary>{p}: ")), "{p}");
            assert!(text.contains(&format!("| {p} | $0.00 | $")), "{p}");
        }
        assert_eq!(text.matches("<details>").count(), 3);
        assert_eq!(text.matches("</details>").count(), 3);
        // Visible note above the sections, naming what was cut; the small one is whole.
        let note = text.find("> **Shortened:**").expect("a visible note");
        assert!(note < text.find("<details>").unwrap());
        let note_line = text[note..].lines().next().unwrap();
        assert!(note_line.contains(" from big"), "{note_line}");
        assert!(!note_line.contains("from small"), "{note_line}");
        let small = &text[text.find("<summary>small: ").unwrap()..];
        let small = &small[..small.find("</details>").unwrap()];
        assert!(!small.contains("cut to fit"), "{small}");
        assert!(text.contains("more lines cut to fit GitHub's comment limit"));
    }

    #[test]
    fn the_largest_section_is_cut_before_a_smaller_one() {
        let r = report(&[("a", huge_plan(40, 50)), ("b", huge_plan(10, 50))]);
        let full = format!("{MARKER}\n{}", render(Format::Markdown, &r));
        let limit = chars(&full) - 500;
        let text = render_within(&r, MARKER, limit);
        assert!(chars(&text) <= limit);
        let b = &text[text.find("<summary>b: ").unwrap()..];
        assert!(!b.contains("cut to fit"));
        let a = &text[text.find("<summary>a: ").unwrap()..text.find("<summary>b: ").unwrap()];
        assert!(a.contains("cut to fit"), "{a}");
        assert!(text.contains("lines of the details below were cut ("));
    }

    #[test]
    fn a_summary_too_long_for_the_limit_is_cut_at_a_line_with_a_note() {
        let names: Vec<String> = (0..50).map(|i| format!("workspace-{i:03}")).collect();
        let plans: Vec<(&str, Vec<u8>)> = names
            .iter()
            .map(|n| (n.as_str(), huge_plan(1, 4)))
            .collect();
        let r = report(&plans);
        let text = render_within(&r, MARKER, 1_500);
        assert!(chars(&text) <= 1_500, "{}", chars(&text));
        assert!(text.starts_with(MARKER));
        assert!(text.trim_end().ends_with("for all of it."), "{text}");
    }
}
