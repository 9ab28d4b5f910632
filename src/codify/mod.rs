//! Codifying drift: where someone changed a resource on purpose and the
//! attribute is a literal in the workspace's `.tf` files, rewrite the literal
//! to the value the resource has now, so the next plan is clean.
//!
//! Input: the workspace directory, the refresh-only plan (real new values come
//! from its `resource_drift`, never from the masked [`DriftItem`] display) and
//! the drift items. Output: per file the new text and a unified diff, and the
//! changes that were not codified, each with the reason.
//!
//! Invariants: only the bytes of the replaced literal change in a file
//! (comments, spacing and alignment elsewhere stay byte for byte: the edit is
//! spliced at the span hcl-edit parsed); anything terraform marks sensitive is
//! never written, and no output names its value; a literal shared by several
//! instances (`count`/`for_each`, a module called twice) is only rewritten
//! when every instance now has the same value. No network here: opening the
//! pull request is [`open_pr`].

mod body;
mod config;
mod diff;
mod github;
mod literal;
mod locate;
mod path;

pub use body::{PrApproval, approval_section, pr_body, pr_marker, pr_title};
pub use github::{Opened, PrError, PrFile, PrTarget, branch_name, open_pr};

use crate::drift::{DisplayValue, DriftItem, DriftKind};
use crate::drift::{PathStep as Step, display_path};
use crate::plan::{Plan, ResourceChange, strip_index};
use config::{Config, ModuleDir, indent_at, line_of, shown};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Why the configuration could not be read. Each message names the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum CodifyError {
    #[error("no .tf files in {}; pass the workspace directory with --dir", dir.display())]
    NoTfFiles { dir: PathBuf },
    #[error("cannot read {}: {source}; check the workspace directory", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: invalid HCL ({message}); fix the file so `terraform validate` accepts it", file.display())]
    Hcl {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// What codifying found: edited files, the changes made, and what was left.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Codified {
    pub files: Vec<FileChange>,
    pub changes: Vec<CodifiedChange>,
    pub not_codified: Vec<NotCodified>,
}

/// One edited `.tf` file.
#[derive(Debug, Clone, Serialize)]
pub struct FileChange {
    /// Relative to the workspace directory (`main.tf`, `../modules/web/main.tf`).
    pub path: PathBuf,
    pub original: String,
    pub updated: String,
    /// Unified diff, `a/<path>` → `b/<path>`.
    pub diff: String,
}

/// One literal rewritten. `old` and `new` are HCL text (never sensitive).
#[derive(Debug, Clone, Serialize)]
pub struct CodifiedChange {
    /// The drifted instances this literal configures (several for `count`).
    pub addresses: Vec<String>,
    /// The attribute path of the rewritten literal.
    pub attribute: String,
    pub file: PathBuf,
    pub line: usize,
    pub old: String,
    pub new: String,
}

/// A drifted attribute (or whole resource, `attribute: None`) left as it is,
/// with the reason in words that say what to do. Never carries a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCodified {
    pub address: String,
    pub attribute: Option<String>,
    pub reason: String,
}

/// What a sensitive literal of the configuration shows as in a diff.
const MASK: &str = "\"(sensitive)\"";

const NO_STEPS: &str = "the drift item carries no attribute path steps (read back from a drift report?); codify the items detected from the plan";

const SENSITIVE: &str = "sensitive: never written into code; change it where the secret is managed";

/// Rewrites the literals behind `items` in the `.tf` files under `dir`; the
/// files on disk are not touched.
pub fn codify(dir: &Path, plan: &Plan, items: &[DriftItem]) -> Result<Codified, CodifyError> {
    let mut config = Config::load(dir)?;
    let refreshed = refreshed_instances(plan);
    let by_address: BTreeMap<&str, &ResourceChange> = plan
        .resource_drift
        .iter()
        .map(|rc| (rc.address.as_str(), rc))
        .collect();
    let mut edits: Vec<Edit> = Vec::new();
    let mut skipped = Vec::new();
    // Literals of sensitive attributes: kept in the files, masked in diffs.
    let mut masks: Vec<(usize, Range<usize>)> = Vec::new();
    for item in items {
        let mut skip = |attribute: Option<&str>, reason: String| {
            skipped.push(NotCodified {
                address: item.address.clone(),
                attribute: attribute.map(str::to_string),
                reason,
            })
        };
        if let Some(reason) = kind_reason(item.kind) {
            skip(None, reason);
            continue;
        }
        let Some(rc) = by_address.get(item.address.as_str()) else {
            skip(
                None,
                "not in the plan's resource_drift; pass the plan the drift came from".into(),
            );
            continue;
        };
        let module_dir = match module_files(&mut config, rc)? {
            Ok(found) => found,
            Err(reason) => {
                skip(None, reason);
                continue;
            }
        };
        let Some((file, block)) = config.resource(&module_dir, &rc.resource_type, &rc.name) else {
            skip(
                None,
                format!(
                    "no `resource \"{}\" \"{}\"` block in the .tf files of {}",
                    rc.resource_type,
                    rc.name,
                    shown(&module_dir)
                ),
            );
            continue;
        };
        let after = rc.change.after_value();
        let mask = rc.change.after_sensitive.as_ref();
        let siblings = rc.index.as_ref().map(|_| {
            refreshed
                .get(&strip_index(&rc.address))
                .cloned()
                .unwrap_or_default()
        });
        for change in &item.changes {
            let attr = Some(change.path.as_str());
            // Steps from the diff itself; an item read back from a drift
            // report has none (the JSON has the display path only).
            let steps = (!change.steps.is_empty()).then_some(change.steps.as_slice());
            let before = rc.change.before_value();
            let located = steps.map(|s| locate::locate(&block.body, s, before));
            let sensitive = change.sensitive
                || change.after == DisplayValue::Sensitive
                || steps.is_some_and(|s| path::touches_sensitive(mask, s))
                || matches!(&located, Some(Ok(t)) if path::touches_sensitive(mask, &t.steps));
            if sensitive {
                if let Some(Ok(t)) = &located {
                    masks.push((file, t.span.clone()));
                }
                skip(attr, SENSITIVE.into());
                continue;
            }
            match change.after {
                DisplayValue::Absent => {
                    skip(
                        attr,
                        "removed outside terraform; remove it from the configuration by hand"
                            .into(),
                    );
                    continue;
                }
                DisplayValue::Unknown => {
                    skip(attr, "known only after apply".into());
                    continue;
                }
                _ => {}
            }
            let target = match located {
                Some(Ok(t)) => t,
                Some(Err(reason)) => {
                    skip(attr, reason);
                    continue;
                }
                None => {
                    skip(attr, NO_STEPS.into());
                    continue;
                }
            };
            let Some(new) = after.and_then(|a| path::get(a, &target.steps)) else {
                skip(attr, "no value after refresh".into());
                continue;
            };
            if let Some(siblings) = &siblings
                && let Some(reason) = shared_reason(rc, siblings, &target.steps, new)
            {
                skip(attr, reason);
                continue;
            }
            let text = &config.files[file].text;
            let old = &text[target.span.clone()];
            let rendered = literal::render(
                new,
                &indent_at(text, target.span.start),
                old.contains('\n') && new.is_object(),
            );
            if rendered == old {
                skip(
                    attr,
                    "the configuration already has this value; run `terraform apply` or a new plan"
                        .into(),
                );
                continue;
            }
            edits.push(Edit {
                file,
                span: target.span,
                text: rendered,
                address: item.address.clone(),
                attribute: display_path(&target.steps),
            });
        }
    }
    Ok(apply(&config, edits, skipped, &masks))
}

/// A literal's replacement before edits are merged per file.
struct Edit {
    file: usize,
    span: Range<usize>,
    text: String,
    address: String,
    attribute: String,
}

fn kind_reason(kind: DriftKind) -> Option<String> {
    match kind {
        DriftKind::Changed => None,
        DriftKind::Deleted => Some(
            "deleted outside terraform; re-create it with `terraform apply` or remove its block by hand"
                .into(),
        ),
        DriftKind::CodeNotApplied => Some("the code was not applied; run `terraform apply`".into()),
        other => Some(format!(
            "{}: the backend's state, not the resource, differs; nothing to write in code",
            other.label()
        )),
    }
}

/// The directory of the module `rc` is in (its `.tf` files loaded), following local module calls.
type Found = Result<PathBuf, String>;

fn module_files(config: &mut Config, rc: &ResourceChange) -> Result<Found, CodifyError> {
    let mut dir = PathBuf::new();
    let mut files = config.load_dir(&dir)?;
    let Some(module) = &rc.module_address else {
        return Ok(Ok(dir));
    };
    for call in module_calls(module) {
        let Some(name) = call else {
            return Ok(Err(format!(
                "in an instance of a module with count/for_each ({module}): a literal in it is shared by every instance"
            )));
        };
        match config.module(&dir, &files, &name) {
            ModuleDir::Local(next) => {
                if !config.root_exists(&next) {
                    return Ok(Err(format!(
                        "module.{name}'s source {} is not a directory",
                        next.display()
                    )));
                }
                files = config.load_dir(&next)?;
                dir = next;
            }
            ModuleDir::NotCodifiable(reason) => return Ok(Err(reason)),
        }
    }
    Ok(Ok(dir))
}

/// `module.a.module.b` → `[Some("a"), Some("b")]`; an instance key (`module.a[0]`) → `None`.
fn module_calls(module: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut rest = module;
    while let Some(r) = rest.strip_prefix("module.") {
        let end = r.find(['.', '[']).unwrap_or(r.len());
        let name = r[..end].to_string();
        rest = &r[end..];
        if rest.starts_with('[') {
            out.push(None);
            // Skip the key, honouring quotes.
            let mut in_quotes = false;
            let mut escaped = false;
            let mut cut = rest.len();
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_quotes => escaped = true,
                    '"' => in_quotes = !in_quotes,
                    ']' if !in_quotes => {
                        cut = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[cut..];
        } else {
            out.push(Some(name));
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// Refreshed values of every managed instance, by address without index.
fn refreshed_instances(plan: &Plan) -> BTreeMap<String, Vec<(String, Value)>> {
    let mut out: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    let Ok(Some(state)) = plan.prior_state() else {
        return out;
    };
    let Some(values) = state.values else {
        return out;
    };
    for r in values.root_module.all_resources() {
        if r.mode != crate::plan::Mode::Managed {
            continue;
        }
        out.entry(strip_index(&r.address))
            .or_default()
            .push((r.address.clone(), r.values.clone()));
    }
    out
}

/// Why a literal in a `count`/`for_each` block cannot take `new`: some
/// instance has another value now.
fn shared_reason(
    rc: &ResourceChange,
    siblings: &[(String, Value)],
    steps: &[Step],
    new: &Value,
) -> Option<String> {
    let base = strip_index(&rc.address);
    if siblings.is_empty() {
        return Some(format!(
            "{base} has count/for_each and the plan lists no refreshed instances; a literal there is shared by all of them"
        ));
    }
    let differ: Vec<&str> = siblings
        .iter()
        .filter(|(_, v)| path::get(v, steps) != Some(new))
        .map(|(a, _)| a.as_str())
        .collect();
    if differ.is_empty() {
        return None;
    }
    Some(format!(
        "{base} has count/for_each: the literal is shared by {} instances and {} of them ({}) do not have the new value; give instances their own values by hand",
        siblings.len(),
        differ.len(),
        differ.join(", ")
    ))
}

/// Merges edits per file (the same literal once, an enclosing literal over
/// the ones inside it) and splices them into the text.
fn apply(
    config: &Config,
    mut edits: Vec<Edit>,
    not_codified: Vec<NotCodified>,
    masks: &[(usize, Range<usize>)],
) -> Codified {
    edits.sort_by(|a, b| {
        (a.file, a.span.start, std::cmp::Reverse(a.span.end)).cmp(&(
            b.file,
            b.span.start,
            std::cmp::Reverse(b.span.end),
        ))
    });
    let mut merged: Vec<(Edit, Vec<String>)> = Vec::new();
    for e in edits {
        if let Some((last, addresses)) = merged.last_mut()
            && last.file == e.file
            && e.span.start < last.span.end
        {
            // Same literal (another instance) or one inside the last.
            if !addresses.contains(&e.address) {
                addresses.push(e.address);
            }
            continue;
        }
        let a = vec![e.address.clone()];
        merged.push((e, a));
    }
    let mut out = Codified {
        not_codified,
        ..Codified::default()
    };
    let mut by_file: BTreeMap<usize, Vec<&(Edit, Vec<String>)>> = BTreeMap::new();
    for m in &merged {
        by_file.entry(m.0.file).or_default().push(m);
    }
    for (file, edits) in by_file {
        let f = &config.files[file];
        let mut updated = String::with_capacity(f.text.len());
        let mut pos = 0;
        for (e, addresses) in edits.iter().copied() {
            updated.push_str(&f.text[pos..e.span.start]);
            updated.push_str(&e.text);
            pos = e.span.end;
            out.changes.push(CodifiedChange {
                addresses: addresses.clone(),
                attribute: e.attribute.clone(),
                file: f.rel.clone(),
                line: line_of(&f.text, e.span.start),
                old: f.text[e.span.clone()].to_string(),
                new: e.text.clone(),
            });
        }
        updated.push_str(&f.text[pos..]);
        let name = f.rel.display().to_string();
        let spans: Vec<(Range<usize>, &str)> = edits
            .iter()
            .map(|(e, _)| (e.span.clone(), e.text.as_str()))
            .collect();
        let mut diff = diff::unified(&name, &f.text, &spans);
        for (_, span) in masks.iter().filter(|(m, _)| *m == file) {
            let secret = &f.text[span.clone()];
            if secret.len() >= 4 {
                diff = diff.replace(secret, MASK);
            }
        }
        out.files.push(FileChange {
            path: f.rel.clone(),
            original: f.text.clone(),
            updated,
            diff,
        });
    }
    out
}

#[cfg(test)]
mod tests;
