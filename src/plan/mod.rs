//! Terraform's plan JSON (`terraform show -json <planfile>`): format_version
//! 0.1 and 0.2 (terraform 0.12–1.0) and 1.x (terraform 1.1 and later, OpenTofu).
//! The fields driftcost reads are the same in all of them.
//!
//! Only the parts driftcost reads are typed; everything with an open schema
//! (resource attribute values, masks) stays a `serde_json::Value`, and unknown
//! fields are ignored so newer terraform/OpenTofu releases keep parsing.

mod config;
mod load;
mod region;
mod region_azure;
mod region_google;

pub use config::{Configuration, ModuleConfig, ProviderConfig, ResourceConfig};
pub use load::{PlanError, load_plan, parse_plan};
pub use region::{Region, RegionSource};
pub use region_google::is_zone as region_google_zone;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A parsed plan. `planned_values` and `prior_state` are kept raw: the cost
/// engine never needs them, and parsing them eagerly would double the work on
/// large plans; [`Plan::prior_state`] parses on demand for the drift engine.
#[derive(Debug, Deserialize)]
pub struct Plan {
    pub format_version: String,
    #[serde(default)]
    pub terraform_version: Option<String>,
    #[serde(default)]
    pub variables: BTreeMap<String, Variable>,
    #[serde(default)]
    pub resource_changes: Vec<ResourceChange>,
    /// Absent (not empty) when nothing drifted: terraform omits the key.
    #[serde(default)]
    pub resource_drift: Vec<ResourceChange>,
    #[serde(default)]
    pub planned_values: Option<Box<RawValue>>,
    #[serde(default, rename = "prior_state")]
    pub prior_state_raw: Option<Box<RawValue>>,
    #[serde(default)]
    pub configuration: Option<Configuration>,
    #[serde(default)]
    pub applyable: Option<bool>,
    #[serde(default)]
    pub errored: Option<bool>,
    /// `false` when terraform (1.8+) could not plan everything (deferred
    /// changes); absent in older plans, which means complete.
    #[serde(default)]
    pub complete: Option<bool>,
    #[serde(default)]
    pub deferred_changes: Vec<DeferredChange>,
    /// Check results; failed ones carry terraform's reason for an errored plan.
    #[serde(default)]
    pub checks: Option<Value>,
}

/// `deferred_changes[]`: a change terraform could not plan yet, and why.
#[derive(Debug, Clone, Deserialize)]
pub struct DeferredChange {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub resource_change: Option<DeferredResource>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeferredResource {
    #[serde(default)]
    pub address: String,
}

impl Plan {
    /// The refreshed state the plan was made from; `None` when terraform left it
    /// out (it does when every resource is gone).
    pub fn prior_state(&self) -> Result<Option<StateValues>, serde_json::Error> {
        match &self.prior_state_raw {
            None => Ok(None),
            Some(raw) => serde_json::from_str(raw.get()).map(Some),
        }
    }

    /// Value of a root-module input variable, used to resolve `region = var.x`.
    pub fn variable(&self, name: &str) -> Option<&Value> {
        self.variables.get(name).map(|v| &v.value)
    }
}

#[derive(Debug, Deserialize)]
pub struct Variable {
    #[serde(default)]
    pub value: Value,
}

/// `resource_changes[]` and `resource_drift[]` entries.
#[derive(Debug, Clone, Deserialize)]
pub struct ResourceChange {
    pub address: String,
    #[serde(default)]
    pub module_address: Option<String>,
    #[serde(default)]
    pub mode: Mode,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    #[serde(default)]
    pub index: Option<Value>,
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub previous_address: Option<String>,
    #[serde(default)]
    pub action_reason: Option<String>,
    pub change: Change,
}

impl ResourceChange {
    /// The address without any `[index]` on the last step, as used in
    /// `configuration` and by usage-file wildcards.
    pub fn address_without_index(&self) -> String {
        strip_index(&self.address)
    }
}

/// Removes a trailing `[...]` index from a resource address; brackets inside
/// quoted `for_each` keys (`["a[1]"]`) are not mistaken for the index.
pub fn strip_index(address: &str) -> String {
    without_index(address).to_string()
}

/// [`strip_index`] without the copy.
pub(crate) fn without_index(address: &str) -> &str {
    if !address.ends_with(']') {
        return address;
    }
    let mut in_quotes = false;
    let mut escaped = false;
    let mut last_open = None;
    for (i, c) in address.char_indices() {
        if in_quotes {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_quotes = true,
            '[' => last_open = Some(i),
            _ => {}
        }
    }
    match last_open {
        Some(pos) => &address[..pos],
        None => address,
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Managed,
    Data,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Change {
    pub actions: Vec<Action>,
    #[serde(default)]
    pub before: Option<Value>,
    #[serde(default)]
    pub after: Option<Value>,
    #[serde(default)]
    pub after_unknown: Option<Value>,
    #[serde(default)]
    pub before_sensitive: Option<Value>,
    #[serde(default)]
    pub after_sensitive: Option<Value>,
    #[serde(default)]
    pub replace_paths: Option<Value>,
}

impl Change {
    /// `before`, treating JSON `null` as absent (terraform writes `null` for creates).
    pub fn before_value(&self) -> Option<&Value> {
        self.before.as_ref().filter(|v| !v.is_null())
    }

    /// `after`, treating JSON `null` as absent (terraform writes `null` for deletes).
    pub fn after_value(&self) -> Option<&Value> {
        self.after.as_ref().filter(|v| !v.is_null())
    }

    pub fn is_replace(&self) -> bool {
        self.actions.contains(&Action::Delete) && self.actions.contains(&Action::Create)
    }
}

/// One entry of `change.actions`. A replace is `[delete, create]` or `[create, delete]`.
/// Any other value is refused when the plan is read: guessing what an unknown
/// action does to a resource would make the cost or drift wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    Forget,
}

/// `prior_state` / `planned_values` shape: `{"format_version", "values": {"root_module": …}}`.
#[derive(Debug, Deserialize)]
pub struct StateValues {
    #[serde(default)]
    pub format_version: Option<String>,
    #[serde(default)]
    pub terraform_version: Option<String>,
    #[serde(default)]
    pub values: Option<StateModuleRoot>,
}

#[derive(Debug, Deserialize)]
pub struct StateModuleRoot {
    #[serde(default)]
    pub outputs: BTreeMap<String, Value>,
    #[serde(default)]
    pub root_module: StateModule,
}

#[derive(Debug, Default, Deserialize)]
pub struct StateModule {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub resources: Vec<StateResource>,
    #[serde(default)]
    pub child_modules: Vec<StateModule>,
}

impl StateModule {
    /// Every resource of this module and its descendants, depth first.
    pub fn all_resources(&self) -> Vec<&StateResource> {
        let mut out: Vec<&StateResource> = self.resources.iter().collect();
        for child in &self.child_modules {
            out.extend(child.all_resources());
        }
        out
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct StateResource {
    pub address: String,
    #[serde(default)]
    pub mode: Mode,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub name: String,
    #[serde(default)]
    pub index: Option<Value>,
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub schema_version: Option<u64>,
    #[serde(default)]
    pub values: Value,
    #[serde(default)]
    pub sensitive_values: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_index_handles_count_and_for_each() {
        assert_eq!(strip_index("aws_instance.web[0]"), "aws_instance.web");
        assert_eq!(
            strip_index("module.a[\"x\"].aws_instance.web[\"k[1]\"]"),
            "module.a[\"x\"].aws_instance.web"
        );
        assert_eq!(strip_index("aws_instance.web"), "aws_instance.web");
    }

    #[test]
    fn actions_parse_kebab_case_and_refuse_unknown_ones() {
        let a: Vec<Action> =
            serde_json::from_str(r#"["no-op","create","delete","forget"]"#).unwrap();
        assert_eq!(
            a,
            vec![Action::NoOp, Action::Create, Action::Delete, Action::Forget]
        );
        let e = serde_json::from_str::<Vec<Action>>(r#"["whatever"]"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown variant `whatever`"), "{e}");
    }
}
