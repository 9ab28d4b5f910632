//! The two states the engine compares outside `resource_drift`: the state
//! object read from the backend (terraform state v4 JSON) and the refreshed
//! state in the plan (`prior_state`). Both are reduced to managed resource
//! instances keyed by address, with a sensitivity mask in the plan's shape.

use super::DriftError;
use super::dynamic::unwrap_recorded;
use super::sensitive::mask_from_state_paths;
use crate::plan::{Mode, Plan, StateResource};
use serde_json::Value;
use std::collections::BTreeMap;

/// One managed resource instance, attributes still holding sensitive values
/// (they never leave the engine unmasked).
#[derive(Clone)]
pub(crate) struct Instance {
    pub resource_type: String,
    pub name: String,
    pub module_address: Option<String>,
    pub attributes: Value,
    pub mask: Value,
}

// Hand-written so a stray `{:?}` cannot print attribute values.
impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance")
            .field("resource_type", &self.resource_type)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

pub(crate) type Instances = BTreeMap<String, Instance>;

/// Managed, current (not deposed) instances of a state v4 object, with
/// dynamically typed attributes unwrapped ([`unwrap_recorded`], helped by the
/// same instance in `refreshed`) so they compare with the plan's plain values
/// and `sensitive_attributes` paths point into them.
pub(crate) fn recorded_instances(
    state: &Value,
    refreshed: &Instances,
) -> Result<Instances, DriftError> {
    let bad = |message: String| DriftError::RecordedState { message };
    match state.get("version").and_then(Value::as_u64) {
        Some(4) => {}
        Some(v) => {
            return Err(bad(format!(
                "state version {v}; driftcost reads version 4 (terraform 0.12 and later)"
            )));
        }
        None => {
            return Err(bad(
                "no \"version\" field; pass the raw state object from the backend".into(),
            ));
        }
    }
    let mut out = Instances::new();
    let resources = match state.get("resources") {
        None | Some(Value::Null) => return Ok(out),
        Some(Value::Array(r)) => r,
        Some(_) => return Err(bad("\"resources\" is not a list".into())),
    };
    for r in resources {
        if r.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let (Some(rtype), Some(name)) = (
            r.get("type").and_then(Value::as_str),
            r.get("name").and_then(Value::as_str),
        ) else {
            return Err(bad("a resource without \"type\" or \"name\"".into()));
        };
        let module = r
            .get("module")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty());
        for inst in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if inst
                .get("deposed")
                .and_then(Value::as_str)
                .is_some_and(|d| !d.is_empty())
            {
                continue;
            }
            let mut address = match module {
                Some(m) => format!("{m}.{rtype}.{name}"),
                None => format!("{rtype}.{name}"),
            };
            match inst.get("index_key") {
                Some(Value::Number(n)) => address.push_str(&format!("[{n}]")),
                Some(Value::String(s)) => {
                    address.push_str(&format!("[{}]", Value::String(s.clone())))
                }
                _ => {}
            }
            let attributes = match inst.get("attributes") {
                Some(a) => unwrap_recorded(a, refreshed.get(&address).map(|n| &n.attributes)),
                None => Value::Null,
            };
            out.insert(
                address,
                Instance {
                    resource_type: rtype.to_string(),
                    name: name.to_string(),
                    module_address: module.map(str::to_string),
                    attributes,
                    mask: mask_from_state_paths(inst.get("sensitive_attributes")),
                },
            );
        }
    }
    Ok(out)
}

/// Managed instances of the plan's refreshed state (`prior_state`); empty
/// when terraform left it out (it does when every resource is gone).
pub(crate) fn refreshed_instances(plan: &Plan) -> Result<Instances, DriftError> {
    let prior = plan.prior_state().map_err(|e| DriftError::PriorState {
        message: e.to_string(),
    })?;
    let mut out = Instances::new();
    let Some(root) = prior.and_then(|p| p.values) else {
        return Ok(out);
    };
    for r in root.root_module.all_resources() {
        if r.mode != Mode::Managed {
            continue;
        }
        out.insert(
            r.address.clone(),
            Instance {
                resource_type: r.resource_type.clone(),
                name: r.name.clone(),
                module_address: module_of(r),
                attributes: r.values.clone(),
                mask: r
                    .sensitive_values
                    .clone()
                    .unwrap_or(Value::Object(Default::default())),
            },
        );
    }
    Ok(out)
}

/// `module.a["x"]` for `module.a["x"].aws_instance.web[0]`, `None` at the root.
pub(crate) fn module_from_address(
    address: &str,
    resource_type: &str,
    name: &str,
) -> Option<String> {
    let base = crate::plan::strip_index(address);
    let suffix = format!("{resource_type}.{name}");
    let prefix = base.strip_suffix(&suffix)?.strip_suffix('.')?;
    let prefix = prefix.strip_suffix(".data").unwrap_or(prefix);
    (!prefix.is_empty()).then(|| prefix.to_string())
}

fn module_of(r: &StateResource) -> Option<String> {
    module_from_address(&r.address, &r.resource_type, &r.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recorded_state_addresses_and_masks() {
        let state = json!({
            "version": 4, "serial": 3, "lineage": "l",
            "resources": [
                {"mode": "managed", "type": "aws_instance", "name": "web", "provider": "p",
                 "instances": [{"index_key": 0, "schema_version": 1, "attributes": {"id": "i-1"}, "sensitive_attributes": []},
                               {"index_key": 1, "deposed": "00000001", "attributes": {"id": "i-old"}}]},
                {"module": "module.net[\"eu\"]", "mode": "managed", "type": "aws_vpc", "name": "main", "provider": "p",
                 "instances": [{"index_key": "a", "attributes": {"id": "vpc-1"},
                                "sensitive_attributes": [[{"type": "get_attr", "value": "secret"}]]}]},
                {"mode": "data", "type": "aws_ami", "name": "x", "provider": "p", "instances": [{"attributes": {}}]}
            ]
        });
        let got = recorded_instances(&state, &Instances::new()).unwrap();
        let keys: Vec<&String> = got.keys().collect();
        assert_eq!(
            keys,
            vec![
                "aws_instance.web[0]",
                "module.net[\"eu\"].aws_vpc.main[\"a\"]"
            ]
        );
        let vpc = &got["module.net[\"eu\"].aws_vpc.main[\"a\"]"];
        assert_eq!(vpc.module_address.as_deref(), Some("module.net[\"eu\"]"));
        assert_eq!(vpc.mask, json!({"secret": true}));
        assert!(!format!("{vpc:?}").contains("vpc-1"));
    }

    #[test]
    fn rejects_non_v4() {
        let e = recorded_instances(&json!({"version": 3}), &Instances::new())
            .unwrap_err()
            .to_string();
        assert!(e.contains("state version 3"), "{e}");
    }

    #[test]
    fn module_prefix() {
        assert_eq!(
            module_from_address("aws_instance.web[0]", "aws_instance", "web"),
            None
        );
        assert_eq!(
            module_from_address(
                "module.a[\"x\"].module.b.aws_instance.web",
                "aws_instance",
                "web"
            )
            .as_deref(),
            Some("module.a[\"x\"].module.b")
        );
    }
}
