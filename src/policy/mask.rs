//! The plan input without the values terraform marks sensitive.
//!
//! Policies read terraform's plan JSON as is, except that every value a
//! sensitivity mask marks (`before_sensitive` / `after_sensitive` of
//! resource changes, drift and outputs; `sensitive_values` of planned and
//! prior state resources; outputs with `"sensitive": true`; variables the
//! configuration declares sensitive) is replaced by the string
//! `"(sensitive)"`. The shape stays, so `input.resource_changes[_]`
//! policies work unchanged, and no policy message can carry a secret.

use serde_json::{Map, Value};

/// What a masked value reads as.
pub const SENSITIVE: &str = "(sensitive)";

/// Masks `plan` in place (see the module docs).
pub fn mask_plan(plan: &mut Value) {
    let sensitive_vars = sensitive_variables(plan);
    let Some(root) = plan.as_object_mut() else {
        return;
    };
    for key in ["resource_changes", "resource_drift"] {
        if let Some(Value::Array(changes)) = root.get_mut(key) {
            for rc in changes {
                if let Some(change) = rc.get_mut("change") {
                    mask_change(change);
                }
            }
        }
    }
    if let Some(Value::Object(outputs)) = root.get_mut("output_changes") {
        for change in outputs.values_mut() {
            mask_change(change);
        }
    }
    for key in ["planned_values", "prior_state"] {
        if let Some(values) = root.get_mut(key) {
            let values = match key {
                "prior_state" => values.get_mut("values"),
                _ => Some(values),
            };
            if let Some(values) = values {
                mask_values(values);
            }
        }
    }
    if let Some(Value::Object(vars)) = root.get_mut("variables") {
        for (name, var) in vars.iter_mut() {
            if sensitive_vars.contains(name)
                && let Some(v) = var.get_mut("value")
            {
                *v = Value::String(SENSITIVE.into());
            }
        }
    }
}

/// A `change` object: `before` by `before_sensitive`, `after` by `after_sensitive`.
fn mask_change(change: &mut Value) {
    let Some(obj) = change.as_object_mut() else {
        return;
    };
    for (value, mask) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
        let m = obj.get(mask).cloned().unwrap_or(Value::Null);
        if let Some(v) = obj.get_mut(value) {
            apply(v, &m);
        }
    }
}

/// `planned_values` / `prior_state.values`: outputs and module resources.
fn mask_values(values: &mut Value) {
    if let Some(Value::Object(outputs)) = values.get_mut("outputs") {
        for out in outputs.values_mut() {
            if out.get("sensitive") == Some(&Value::Bool(true))
                && let Some(v) = out.get_mut("value")
            {
                *v = Value::String(SENSITIVE.into());
            }
        }
    }
    if let Some(module) = values.get_mut("root_module") {
        mask_module(module);
    }
}

fn mask_module(module: &mut Value) {
    if let Some(Value::Array(resources)) = module.get_mut("resources") {
        for r in resources {
            let m = r.get("sensitive_values").cloned().unwrap_or(Value::Null);
            if let Some(v) = r.get_mut("values") {
                apply(v, &m);
            }
        }
    }
    if let Some(Value::Array(children)) = module.get_mut("child_modules") {
        for c in children {
            mask_module(c);
        }
    }
}

/// Masks the leaves of `value` that `mask` marks `true`.
fn apply(value: &mut Value, mask: &Value) {
    match (mask, value) {
        (Value::Bool(true), v) if !v.is_null() => {
            *v = Value::String(SENSITIVE.into());
        }
        (Value::Object(m), Value::Object(v)) => apply_object(v, m),
        (Value::Array(m), Value::Array(v)) => {
            for (mv, vv) in m.iter().zip(v.iter_mut()) {
                apply(vv, mv);
            }
        }
        _ => {}
    }
}

fn apply_object(value: &mut Map<String, Value>, mask: &Map<String, Value>) {
    for (k, m) in mask {
        if let Some(v) = value.get_mut(k) {
            apply(v, m);
        }
    }
}

/// Root-module variables the configuration declares `sensitive = true`.
fn sensitive_variables(plan: &Value) -> Vec<String> {
    plan.pointer("/configuration/root_module/variables")
        .and_then(Value::as_object)
        .map(|vars| {
            vars.iter()
                .filter(|(_, v)| v.get("sensitive") == Some(&Value::Bool(true)))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}
