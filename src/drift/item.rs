//! What the drift engine hands to the store, the notifier and the reports.
//!
//! Invariant: nothing in here holds a value terraform marks sensitive. A
//! sensitive change carries [`DisplayValue::Sensitive`] on both sides and a
//! fingerprint computed from that marker, so even `Debug` output is safe.

use super::path::Step;
use crate::plan::Action;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// How a resource differs from what terraform last recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Refresh found attribute values that differ from the recorded state.
    Changed,
    /// Refresh found the object gone (`"actions": ["delete"]`, `"after": null`).
    Deleted,
    /// In the state read from the backend, but not in the plan's refreshed state.
    InRecordedStateOnly,
    /// In the plan's refreshed state, but not in the state read from the backend.
    InRefreshedOnly,
    /// In both states with different attributes though terraform reported no
    /// drift: the state was written between the plan and the backend read.
    RecordedStateDiffers,
    /// Plan mode only: the configuration would change the resource, nothing
    /// outside terraform did.
    CodeNotApplied,
}

impl DriftKind {
    /// Stable snake_case name, as in the JSON output and fingerprints.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Changed => "changed",
            DriftKind::Deleted => "deleted",
            DriftKind::InRecordedStateOnly => "in_recorded_state_only",
            DriftKind::InRefreshedOnly => "in_refreshed_only",
            DriftKind::RecordedStateDiffers => "recorded_state_differs",
            DriftKind::CodeNotApplied => "code_not_applied",
        }
    }

    /// Wording for people.
    pub fn label(self) -> &'static str {
        match self {
            DriftKind::Changed => "changed outside terraform",
            DriftKind::Deleted => "deleted outside terraform",
            DriftKind::InRecordedStateOnly => "in recorded state only",
            DriftKind::InRefreshedOnly => "in refreshed state only",
            DriftKind::RecordedStateDiffers => "recorded state differs",
            DriftKind::CodeNotApplied => "code not applied",
        }
    }
}

/// Where the difference was seen, so a reader knows whom to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftCause {
    /// Listed in the plan's `resource_drift`: someone changed the real object.
    ChangedOutsideTerraform,
    /// Only in the plan's `resource_changes`: the code was not applied.
    CodeNotApplied,
    /// Found by comparing the backend's state object with the refreshed state.
    RecordedState,
}

/// One side of an attribute change, safe to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DisplayValue {
    /// Null, empty or not set (they compare equal, so they show alike).
    Absent,
    /// A non-sensitive value as terraform wrote it.
    Value(Value),
    /// Terraform marks this sensitive; the value is not kept.
    Sensitive,
    /// Plan mode: known only after apply.
    Unknown,
}

impl fmt::Display for DisplayValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DisplayValue::Absent => f.write_str("(none)"),
            DisplayValue::Value(v) => write!(f, "{v}"),
            DisplayValue::Sensitive => f.write_str("(sensitive value)"),
            DisplayValue::Unknown => f.write_str("(known after apply)"),
        }
    }
}

/// One changed leaf (or a whole subtree when it is sensitive or unknown).
///
/// Equality ignores `steps`: they are `path` in another form, and an item
/// read back from the report (no steps) equals the one that was written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttributeChange {
    /// Terraform notation: `tags.owner`, `ingress[0].cidr_blocks[1]`, `tags["a.b"]`.
    pub path: String,
    /// The same path as steps (what `path` displays), for code that needs the
    /// attribute itself. Not serialized: the JSON report has the display path
    /// only, and an item read back from it has no steps.
    #[serde(skip)]
    pub steps: Vec<Step>,
    pub before: DisplayValue,
    pub after: DisplayValue,
    pub sensitive: bool,
    /// sha256 hex of address, path and a hash of the masked after-value.
    pub fingerprint: String,
}

impl PartialEq for AttributeChange {
    fn eq(&self, other: &Self) -> bool {
        let AttributeChange {
            path,
            steps: _,
            before,
            after,
            sensitive,
            fingerprint,
        } = self;
        *path == other.path
            && *before == other.before
            && *after == other.after
            && *sensitive == other.sensitive
            && *fingerprint == other.fingerprint
    }
}

impl Eq for AttributeChange {}

impl AttributeChange {
    /// `path: before → after`, or `path: (sensitive value changed)`.
    pub fn describe(&self) -> String {
        if self.sensitive {
            format!("{}: (sensitive value changed)", self.path)
        } else {
            format!("{}: {} → {}", self.path, self.before, self.after)
        }
    }
}

/// One drifted resource instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DriftItem {
    pub address: String,
    pub resource_type: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module_address: Option<String>,
    pub kind: DriftKind,
    pub cause: DriftCause,
    /// Terraform's actions for this entry, when it came from the plan.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    pub changes: Vec<AttributeChange>,
    /// Stable across runs for the same drift; notifications dedupe on it.
    pub fingerprint: String,
    /// Attributes before the drift with sensitive leaves removed, for the cost
    /// engine. Not serialized: the report does not need whole objects.
    #[serde(skip)]
    pub priceable_before: Option<Value>,
    /// Attributes after the drift, sensitive leaves removed; `None` when gone.
    #[serde(skip)]
    pub priceable_after: Option<Value>,
}

/// Everything one drift check found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DriftResult {
    /// Sorted by address, then kind.
    pub items: Vec<DriftItem>,
    /// Attribute changes (and whole items without attribute changes) dropped
    /// by ignore rules or `lifecycle.ignore_changes`.
    pub ignored_changes: usize,
    /// Ignore rules that matched nothing, data the plan did not have, and the like.
    pub warnings: Vec<String>,
}

impl DriftResult {
    pub fn has_drift(&self) -> bool {
        !self.items.is_empty()
    }
}
