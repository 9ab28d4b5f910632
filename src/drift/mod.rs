//! The drift engine: what changed outside terraform, attribute by attribute.
//!
//! Input: a plan (`terraform plan -refresh-only` or a normal plan, as JSON)
//! and optionally the state object read from the workspace's backend. Output:
//! [`DriftItem`]s with attribute paths, kinds, masked values and stable
//! fingerprints, after the workspace's ignore rules and the configuration's
//! `lifecycle.ignore_changes` have been applied.
//!
//! Drift is read from `resource_drift` only, never from the exit code or
//! `change_summary` (both are wrong for refresh-only plans); the key is absent
//! when nothing drifted. The backend's state is compared with the plan's
//! refreshed state (`prior_state`) for instances one side lacks and for
//! attribute differences terraform did not report.
//!
//! The recorded state is read in its own format first: dynamically typed
//! attributes are unwrapped ([`dynamic`]) and `sensitive_attributes` become a
//! mask ([`sensitive`]). Every value terraform marks sensitive anywhere in the
//! plan or the recorded state is also masked wherever it appears unmarked
//! (`terraform_data.output` copies its sensitive `input` without the mark).
//!
//! This module does no I/O except reading `.tf` files for lifecycle rules
//! ([`load_lifecycle_ignores`]) and the JSON-file integrity store. Values
//! terraform marks sensitive never leave [`detect`]: see [`item`].

mod cost_effect;
mod diff;
mod dynamic;
mod fingerprint;
mod group;
mod ignore;
mod integrity;
mod item;
mod lifecycle;
mod path;
pub mod pricing;
pub mod report;
mod sensitive;
mod state;

pub use cost_effect::{CostEffect, CostTotals};
pub use group::{ChangeGroup, group};
pub use ignore::IgnoreRules;
pub use integrity::{
    IntegrityAlert, IntegrityError, IntegrityRecord, IntegrityStore, JsonFileIntegrityStore,
    MemoryIntegrityStore, check,
};
pub use item::{AttributeChange, DisplayValue, DriftCause, DriftItem, DriftKind, DriftResult};
pub use lifecycle::{LifecycleIgnore, load_lifecycle_ignores, parse_lifecycle_ignores};
pub use path::{Step as PathStep, display as display_path};

use crate::plan::{Action, Mode, Plan, ResourceChange};
use diff::{LeafChange, Sides};
use ignore::Target;
use sensitive::KnownSecrets;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Which kind of plan the engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DriftMode {
    /// `plan -refresh-only`: only `resource_drift` (and the backend state) count.
    #[default]
    RefreshOnly,
    /// A normal plan: `resource_changes` not explained by `resource_drift`
    /// are reported as [`DriftKind::CodeNotApplied`].
    Plan,
}

/// Why drift could not be computed. Each message names the input and the fix.
#[derive(Debug, thiserror::Error)]
pub enum DriftError {
    #[error(
        "ignore rule `{rule}` is not a valid glob ({message}); fix or remove it in the workspace's ignore list"
    )]
    InvalidIgnoreRule { rule: String, message: String },
    #[error("{}:{line}:{column}: invalid HCL ({message}); fix the file so `terraform validate` accepts it", file.display())]
    Hcl {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot read {}: {source}; check the workspace directory", path.display())]
    ReadTf {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: resource {resource}: cannot read ignore_changes entry `{entry}`; use attribute references such as `tags` or `tags[\"Owner\"]`, or `all`", file.display())]
    IgnoreChanges {
        file: PathBuf,
        resource: String,
        entry: String,
    },
    #[error(
        "the plan's prior_state cannot be read ({message}); pass the JSON of `terraform show -json <planfile>`"
    )]
    PriorState { message: String },
    #[error("the recorded state is not usable: {message}")]
    RecordedState { message: String },
}

/// Computes the drift of one workspace.
///
/// `recorded` is the state object read from the backend (state v4 JSON), when
/// the runner could read it; without it only the plan is used.
pub fn detect(
    plan: &Plan,
    recorded: Option<&Value>,
    mode: DriftMode,
    rules: &IgnoreRules,
) -> Result<DriftResult, DriftError> {
    let mut raw: Vec<Raw> = Vec::new();
    let mut from_plan: BTreeSet<String> = BTreeSet::new();

    let states = match recorded {
        Some(recorded) => {
            let refreshed = state::refreshed_instances(plan)?;
            let recorded = state::recorded_instances(recorded, &refreshed)?;
            Some((recorded, refreshed))
        }
        None => None,
    };
    let secrets = known_secrets(plan, states.as_ref());

    for rc in plan
        .resource_drift
        .iter()
        .filter(|rc| rc.mode == Mode::Managed)
    {
        let found = from_resource_change(
            rc,
            DriftCause::ChangedOutsideTerraform,
            secrets.of(&rc.address),
        );
        if let Some(r) = found {
            from_plan.insert(rc.address.clone());
            raw.push(r);
        }
    }
    if mode == DriftMode::Plan {
        for rc in plan
            .resource_changes
            .iter()
            .filter(|rc| rc.mode == Mode::Managed)
        {
            if from_plan.contains(&rc.address) {
                continue;
            }
            let found =
                from_resource_change(rc, DriftCause::CodeNotApplied, secrets.of(&rc.address));
            if let Some(r) = found {
                raw.push(r);
            }
        }
    }
    if let Some((recorded, refreshed)) = &states {
        raw.extend(compare_states(recorded, refreshed, &from_plan, &secrets));
    }

    let mut seen = rules.tracker();
    let mut ignored = 0usize;
    let mut items = Vec::new();
    for r in raw {
        if r.needs_changes && r.leaves.is_empty() {
            // An update whose differences were all "empty equals absent".
            continue;
        }
        let target = Target::new(&r.address, &r.resource_type, &r.name);
        if r.leaves.is_empty() && rules.resource_ignored(&target, &mut seen) {
            ignored += 1;
            continue;
        }
        let had_changes = !r.leaves.is_empty();
        // Attribute candidates include the resource itself, so a resource
        // rule covers its attributes and a later `!…attr` rule can win.
        let leaves: Vec<LeafChange> = r
            .leaves
            .into_iter()
            .filter(|l| {
                let skip = rules.attribute_ignored(&target, &l.steps, &mut seen);
                ignored += usize::from(skip);
                !skip
            })
            .collect();
        if had_changes && leaves.is_empty() {
            continue;
        }
        let changes: Vec<AttributeChange> = leaves
            .into_iter()
            .map(|l| {
                let path = path::display(&l.steps);
                let fingerprint =
                    fingerprint::change_fingerprint(&r.address, &path, &l.after, l.sensitive);
                AttributeChange {
                    path,
                    steps: l.steps,
                    before: l.before,
                    after: l.after,
                    sensitive: l.sensitive,
                    fingerprint,
                }
            })
            .collect();
        let fingerprint = fingerprint::item_fingerprint(r.kind, &r.address, &changes);
        items.push(DriftItem {
            address: r.address,
            resource_type: r.resource_type,
            name: r.name,
            module_address: r.module_address,
            kind: r.kind,
            cause: r.cause,
            actions: r.actions,
            changes,
            fingerprint,
            priceable_before: r.priceable_before,
            priceable_after: r.priceable_after,
        });
    }
    items.sort_by(|a, b| a.address.cmp(&b.address).then(a.kind.cmp(&b.kind)));
    let warnings = rules
        .unmatched(&seen)
        .into_iter()
        .map(|r| {
            format!("ignore rule `{r}` matched nothing in this plan; remove it if it is stale")
        })
        .collect();
    Ok(DriftResult {
        items,
        ignored_changes: ignored,
        warnings,
    })
}

/// A drift item before ignore rules and fingerprints.
struct Raw {
    address: String,
    resource_type: String,
    name: String,
    module_address: Option<String>,
    kind: DriftKind,
    cause: DriftCause,
    actions: Vec<Action>,
    leaves: Vec<LeafChange>,
    /// Kinds that only mean something with attribute changes (an update).
    needs_changes: bool,
    priceable_before: Option<Value>,
    priceable_after: Option<Value>,
}

/// The sensitive values of each resource instance, by address.
#[derive(Default)]
struct SecretsByAddress(std::collections::BTreeMap<String, KnownSecrets>);

static NO_SECRETS: KnownSecrets = KnownSecrets::new();

impl SecretsByAddress {
    fn add(&mut self, address: &str, value: &Value, mask: Option<&Value>) {
        if sensitive::any(mask) {
            self.0
                .entry(address.to_string())
                .or_default()
                .add_masked(value, mask);
        }
    }

    fn of(&self, address: &str) -> &KnownSecrets {
        self.0.get(address).unwrap_or(&NO_SECRETS)
    }
}

/// Every sensitive value of the plan and the recorded state, by instance.
fn known_secrets(
    plan: &Plan,
    states: Option<&(state::Instances, state::Instances)>,
) -> SecretsByAddress {
    let mut secrets = SecretsByAddress::default();
    for rc in plan.resource_drift.iter().chain(&plan.resource_changes) {
        let c = &rc.change;
        if let Some(v) = &c.before {
            secrets.add(&rc.address, v, c.before_sensitive.as_ref());
        }
        if let Some(v) = &c.after {
            secrets.add(&rc.address, v, c.after_sensitive.as_ref());
        }
    }
    let own;
    let (recorded, refreshed) = match states {
        Some((recorded, refreshed)) => (Some(recorded), refreshed),
        None => {
            // Without a recorded state the refreshed one is read only for
            // its secrets; a plan without a readable one still works.
            own = state::refreshed_instances(plan).unwrap_or_default();
            (None, &own)
        }
    };
    for (address, i) in recorded.into_iter().flatten().chain(refreshed) {
        secrets.add(address, &i.attributes, Some(&i.mask));
    }
    secrets
}

/// Leaves that would show a known secret terraform did not mark here are
/// shown as sensitive changes.
fn conceal(leaves: Vec<LeafChange>, secrets: &KnownSecrets) -> Vec<LeafChange> {
    leaves
        .into_iter()
        .map(|l| {
            let reveals =
                |d: &DisplayValue| matches!(d, DisplayValue::Value(v) if secrets.revealed_by(v));
            if l.sensitive || !(reveals(&l.before) || reveals(&l.after)) {
                return l;
            }
            let hide = |d: DisplayValue| match d {
                DisplayValue::Absent | DisplayValue::Unknown => d,
                _ => DisplayValue::Sensitive,
            };
            LeafChange {
                steps: l.steps,
                before: hide(l.before),
                after: hide(l.after),
                sensitive: true,
            }
        })
        .collect()
}

/// Attributes for the cost engine: sensitive leaves and copies of secrets removed.
fn priceable(value: &Value, mask: Option<&Value>, secrets: &KnownSecrets) -> Option<Value> {
    sensitive::strip(value, mask).and_then(|v| secrets.scrub(&v))
}

fn from_resource_change(
    rc: &ResourceChange,
    cause: DriftCause,
    secrets: &KnownSecrets,
) -> Option<Raw> {
    let c = &rc.change;
    let has = |a: Action| c.actions.contains(&a);
    let (kind, needs_changes) = if has(Action::Delete) && c.after_value().is_none() {
        let kind = match cause {
            DriftCause::CodeNotApplied => DriftKind::CodeNotApplied,
            _ => DriftKind::Deleted,
        };
        (kind, false)
    } else if has(Action::Update) || (has(Action::Delete) && has(Action::Create)) {
        let kind = match cause {
            DriftCause::CodeNotApplied => DriftKind::CodeNotApplied,
            _ => DriftKind::Changed,
        };
        (kind, true)
    } else if has(Action::Create) {
        let kind = match cause {
            DriftCause::CodeNotApplied => DriftKind::CodeNotApplied,
            _ => DriftKind::InRefreshedOnly,
        };
        (kind, cause == DriftCause::CodeNotApplied)
    } else {
        return None;
    };
    let leaves = if needs_changes {
        conceal(
            diff::diff(Sides {
                before: c.before_value(),
                after: c.after_value(),
                before_sensitive: c.before_sensitive.as_ref(),
                after_sensitive: c.after_sensitive.as_ref(),
                after_unknown: c.after_unknown.as_ref(),
            }),
            secrets,
        )
    } else {
        Vec::new()
    };
    Some(Raw {
        address: rc.address.clone(),
        resource_type: rc.resource_type.clone(),
        name: rc.name.clone(),
        module_address: rc
            .module_address
            .clone()
            .or_else(|| state::module_from_address(&rc.address, &rc.resource_type, &rc.name)),
        kind,
        cause,
        actions: c.actions.clone(),
        leaves,
        needs_changes,
        priceable_before: c
            .before_value()
            .and_then(|v| priceable(v, c.before_sensitive.as_ref(), secrets)),
        priceable_after: c
            .after_value()
            .and_then(|v| priceable(v, c.after_sensitive.as_ref(), secrets)),
    })
}

fn compare_states(
    recorded: &state::Instances,
    refreshed: &state::Instances,
    already: &BTreeSet<String>,
    secrets: &SecretsByAddress,
) -> Vec<Raw> {
    let mut out = Vec::new();
    let addresses: BTreeSet<&String> = recorded.keys().chain(refreshed.keys()).collect();
    for address in addresses {
        if already.contains(address) {
            continue;
        }
        let secrets = secrets.of(address);
        let rec = recorded.get(address);
        let now = refreshed.get(address);
        let (kind, leaves, needs_changes) = match (rec, now) {
            (Some(_), None) => (DriftKind::InRecordedStateOnly, Vec::new(), false),
            (None, Some(_)) => (DriftKind::InRefreshedOnly, Vec::new(), false),
            (Some(r), Some(n)) => {
                let leaves = conceal(
                    diff::diff(Sides {
                        before: Some(&r.attributes),
                        after: Some(&n.attributes),
                        before_sensitive: Some(&r.mask),
                        after_sensitive: Some(&n.mask),
                        after_unknown: None,
                    }),
                    secrets,
                );
                if leaves.is_empty() {
                    continue;
                }
                (DriftKind::RecordedStateDiffers, leaves, true)
            }
            (None, None) => continue,
        };
        let any = rec.or(now).expect("one side is present");
        out.push(Raw {
            address: address.clone(),
            resource_type: any.resource_type.clone(),
            name: any.name.clone(),
            module_address: any.module_address.clone(),
            kind,
            cause: DriftCause::RecordedState,
            actions: Vec::new(),
            leaves,
            needs_changes,
            priceable_before: rec.and_then(|r| priceable(&r.attributes, Some(&r.mask), secrets)),
            priceable_after: now.and_then(|n| priceable(&n.attributes, Some(&n.mask), secrets)),
        });
    }
    out
}

#[cfg(test)]
mod tests;
