//! Dynamically typed attributes in the recorded state.
//!
//! Terraform's state v4 stores an attribute whose schema type is
//! `DynamicPseudoType` (`terraform_data.input`/`output`/`triggers_replace`,
//! `kubernetes_manifest.manifest`, any provider's "any" attribute) as cty
//! JSON with its concrete type beside it: `{"value": <value>, "type": <type>}`.
//! The plan JSON (`terraform show -json`) writes the plain value. The
//! recorded-state diff must compare plain with plain, and the state's
//! `sensitive_attributes` paths point into the plain value
//! (`input.password`, not `input.value.password`), so the recorded side is
//! unwrapped before anything else looks at it.
//!
//! The state carries no schema, so a wrapper is recognised by evidence that a
//! real attribute value practically never has all of:
//! - an object with exactly the keys `value` and `type`;
//! - `type` is a valid cty type expression (`"string"`, `"number"`, `"bool"`,
//!   `"dynamic"`, `["list", T]`, `["set", T]`, `["map", T]`,
//!   `["object", {…}]` (optionally with a list of optional attributes),
//!   `["tuple", [T, …]]`);
//! - `value` conforms to that type (null conforms to every type);
//! - when the refreshed state has a value at the same path, it is not itself
//!   an object with exactly the keys `value` and `type` while the unwrapped
//!   value is not: then the attribute is a real object with those two keys.
//!
//! Inside a wrapper's value every type is concrete, so nothing below it is
//! unwrapped again.

use serde_json::{Map, Value};

/// The recorded attributes with every dynamic wrapper replaced by its value.
/// `refreshed` is the same instance's attributes from the plan's refreshed
/// state, when it has the instance.
pub(crate) fn unwrap_recorded(recorded: &Value, refreshed: Option<&Value>) -> Value {
    if let Some(inner) = wrapped_value(recorded) {
        let refreshed_looks_wrapped = refreshed.is_some_and(has_wrapper_keys);
        if !refreshed_looks_wrapped || has_wrapper_keys(inner) {
            return inner.clone();
        }
    }
    match recorded {
        Value::Object(m) => {
            let other = refreshed.and_then(Value::as_object);
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), unwrap_recorded(v, other.and_then(|o| o.get(k)))))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(a) => {
            let other = refreshed.and_then(Value::as_array);
            Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| unwrap_recorded(v, other.and_then(|o| o.get(i))))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

fn has_wrapper_keys(v: &Value) -> bool {
    matches!(v, Value::Object(m) if m.len() == 2 && m.contains_key("value") && m.contains_key("type"))
}

/// The value inside a cty dynamic wrapper, when `v` is one.
fn wrapped_value(v: &Value) -> Option<&Value> {
    if !has_wrapper_keys(v) {
        return None;
    }
    let (value, ty) = (&v["value"], &v["type"]);
    conforms(value, ty).then_some(value)
}

/// Whether `value` is a value of the cty type expression `ty`; false when
/// `ty` is not a type expression at all.
fn conforms(value: &Value, ty: &Value) -> bool {
    if !is_type(ty) {
        return false;
    }
    fits(value, ty)
}

/// Whether `ty` is a cty type expression as `ctyjson.MarshalType` writes it.
fn is_type(ty: &Value) -> bool {
    match ty {
        Value::String(s) => matches!(s.as_str(), "string" | "number" | "bool" | "dynamic"),
        Value::Array(parts) => match (parts.first().and_then(Value::as_str), parts.len()) {
            (Some("list" | "set" | "map"), 2) => is_type(&parts[1]),
            (Some("object"), 2 | 3) => {
                let attrs_ok = parts[1]
                    .as_object()
                    .is_some_and(|attrs| attrs.values().all(is_type));
                let optional_ok = parts.get(2).is_none_or(|o| {
                    o.as_array()
                        .is_some_and(|names| names.iter().all(Value::is_string))
                });
                attrs_ok && optional_ok
            }
            (Some("tuple"), 2) => parts[1]
                .as_array()
                .is_some_and(|elems| elems.iter().all(is_type)),
            _ => false,
        },
        _ => false,
    }
}

/// `value` fits the (valid) type expression `ty`.
fn fits(value: &Value, ty: &Value) -> bool {
    if value.is_null() {
        return true;
    }
    match ty {
        Value::String(s) => match s.as_str() {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "bool" => value.is_boolean(),
            _ => true, // "dynamic"
        },
        Value::Array(parts) => {
            let kind = parts[0].as_str().unwrap_or_default();
            match (kind, value) {
                ("list" | "set", Value::Array(items)) => items.iter().all(|i| fits(i, &parts[1])),
                ("map", Value::Object(m)) => m.values().all(|v| fits(v, &parts[1])),
                ("object", Value::Object(m)) => {
                    let attrs = parts[1].as_object().expect("checked by is_type");
                    m.iter()
                        .all(|(k, v)| attrs.get(k).is_some_and(|t| fits(v, t)))
                }
                ("tuple", Value::Array(items)) => {
                    let elems = parts[1].as_array().expect("checked by is_type");
                    items.len() == elems.len() && items.iter().zip(elems).all(|(i, t)| fits(i, t))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unwraps_terraform_data_attributes() {
        let recorded = json!({
            "id": "x",
            "input": {"value": {"cidr": "10.0.0.0/16", "tags": {"env": "demo"}},
                      "type": ["object", {"cidr": "string", "tags": ["object", {"env": "string"}]}]},
            "output": {"value": "v1", "type": "string"},
            "triggers_replace": {"value": ["a", 1], "type": ["tuple", ["string", "number"]]},
            "nothing": null
        });
        assert_eq!(
            unwrap_recorded(&recorded, None),
            json!({"id": "x", "input": {"cidr": "10.0.0.0/16", "tags": {"env": "demo"}},
                   "output": "v1", "triggers_replace": ["a", 1], "nothing": null})
        );
    }

    #[test]
    fn unwraps_nested_dynamic_values_once() {
        // A block holding a dynamic attribute whose value is itself shaped
        // like a wrapper: the outer wrapper goes, the inner object stays.
        let recorded = json!({"spec": [{"manifest": {
            "value": {"value": "x", "type": "string"},
            "type": ["object", {"type": "string", "value": "string"}]
        }}]});
        let refreshed = json!({"spec": [{"manifest": {"value": "x", "type": "string"}}]});
        assert_eq!(
            unwrap_recorded(&recorded, Some(&refreshed)),
            json!({"spec": [{"manifest": {"value": "x", "type": "string"}}]})
        );
    }

    #[test]
    fn keeps_real_objects_with_value_and_type_keys() {
        // An object attribute whose keys happen to be `value` and `type`: the
        // refreshed state shows the same two keys, so it is not a wrapper.
        let recorded = json!({"setting": {"value": "on", "type": "string"}});
        let refreshed = json!({"setting": {"value": "off", "type": "string"}});
        assert_eq!(unwrap_recorded(&recorded, Some(&refreshed)), recorded);
        // `type` is not a type expression, or the value does not fit it.
        for v in [
            json!({"value": "x", "type": "text"}),
            json!({"value": "x", "type": "number"}),
            json!({"value": [1], "type": ["list", "string"]}),
            json!({"value": {"a": 1}, "type": ["object", {"b": "number"}]}),
            json!({"value": [1, 2], "type": ["tuple", ["number"]]}),
            json!({"value": 1, "type": ["weird", "number"]}),
            json!({"value": 1, "type": "number", "extra": true}),
        ] {
            assert_eq!(unwrap_recorded(&v, None), v, "{v}");
        }
    }

    #[test]
    fn null_and_collection_types() {
        for (v, plain) in [
            (json!({"value": null, "type": "string"}), json!(null)),
            (
                json!({"value": {"a": ["x"]}, "type": ["map", ["set", "string"]]}),
                json!({"a": ["x"]}),
            ),
            (
                json!({"value": {"a": 1}, "type": ["object", {"a": "number", "b": "bool"}, ["b"]]}),
                json!({"a": 1}),
            ),
            (json!({"value": true, "type": "dynamic"}), json!(true)),
        ] {
            assert_eq!(unwrap_recorded(&v, None), plain, "{v}");
        }
    }
}
