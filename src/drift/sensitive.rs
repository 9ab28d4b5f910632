//! Sensitivity masks: which leaves of an attribute value terraform marks
//! sensitive, in the plan's `*_sensitive` shape (`true` on a sensitive leaf or
//! subtree, `{}`/`[]`/`false` where nothing inside is sensitive).
//!
//! The recorded state lists sensitive paths instead (`sensitive_attributes`);
//! [`mask_from_state_paths`] turns them into the same mask shape so the diff
//! reads one format. A shape it cannot read makes the whole object sensitive:
//! hiding too much is a display problem, hiding too little is a leak.

use super::path::Step;
use serde_json::{Map, Value};

/// The mask of a fully sensitive subtree.
pub(crate) static SENSITIVE: Value = Value::Bool(true);

/// The mask one step further down; a sensitive subtree stays sensitive.
pub(crate) fn child<'a>(mask: Option<&'a Value>, step: &Step) -> Option<&'a Value> {
    match (mask?, step) {
        (Value::Bool(true), _) => Some(&SENSITIVE),
        (Value::Object(m), Step::Key(k)) => m.get(k),
        (Value::Array(a), Step::Index(i)) => a.get(*i),
        _ => None,
    }
}

/// Whether this node is sensitive as a whole.
pub(crate) fn is_whole(mask: Option<&Value>) -> bool {
    matches!(mask, Some(Value::Bool(true)))
}

/// Whether anything at or below this node is sensitive.
pub(crate) fn any(mask: Option<&Value>) -> bool {
    match mask {
        Some(Value::Bool(b)) => *b,
        Some(Value::Object(m)) => m.values().any(|v| any(Some(v))),
        Some(Value::Array(a)) => a.iter().any(|v| any(Some(v))),
        _ => false,
    }
}

/// Builds a mask from a state instance's `sensitive_attributes`.
///
/// Accepted shapes:
/// - state v4 as terraform writes it: a list of paths, each a list of steps
///   `{"type":"get_attr","value":"password"}` or
///   `{"type":"index","value":{"value":0,"type":"number"}}` (the index value in
///   cty JSON with its type; a bare number or string is accepted too);
/// - a mask object in the plan's `*_sensitive` shape (`{"password": true}`),
///   which newer writers and hand-made fixtures use;
/// - a list of dotted strings (`"password"`, `"master.password"`).
///
/// Anything else marks the whole object sensitive.
pub(crate) fn mask_from_state_paths(raw: Option<&Value>) -> Value {
    let Some(raw) = raw else {
        return Value::Object(Map::new());
    };
    match raw {
        Value::Null => Value::Object(Map::new()),
        Value::Object(_) | Value::Bool(_) => raw.clone(),
        Value::Array(paths) => {
            let mut mask = Value::Object(Map::new());
            for path in paths {
                match parse_path(path) {
                    Some(steps) => mark(&mut mask, &steps),
                    None => return Value::Bool(true),
                }
            }
            mask
        }
        _ => Value::Bool(true),
    }
}

fn parse_path(path: &Value) -> Option<Vec<Step>> {
    match path {
        Value::String(s) => Some(s.split('.').map(|k| Step::Key(k.to_string())).collect()),
        Value::Array(steps) => steps.iter().map(parse_step).collect(),
        _ => None,
    }
}

fn parse_step(step: &Value) -> Option<Step> {
    let kind = step.get("type")?.as_str()?;
    let value = step.get("value")?;
    match kind {
        "get_attr" => Some(Step::Key(value.as_str()?.to_string())),
        "index" => {
            // cty JSON of a dynamic value: {"value": 0, "type": "number"}.
            let key = match value {
                Value::Object(o) if o.contains_key("value") => &o["value"],
                other => other,
            };
            match key {
                Value::Number(n) => Some(Step::Index(usize::try_from(n.as_u64()?).ok()?)),
                Value::String(s) => Some(Step::Key(s.clone())),
                _ => None,
            }
        }
        _ => None,
    }
}

fn mark(mask: &mut Value, steps: &[Step]) {
    let Some((first, rest)) = steps.split_first() else {
        *mask = Value::Bool(true);
        return;
    };
    if is_whole(Some(mask)) {
        return;
    }
    match first {
        Step::Key(k) => {
            if !mask.is_object() {
                *mask = Value::Object(Map::new());
            }
            let entry = mask
                .as_object_mut()
                .expect("just made an object")
                .entry(k.clone())
                .or_insert(Value::Bool(false));
            mark(entry, rest);
        }
        Step::Index(i) => {
            if !mask.is_array() {
                *mask = Value::Array(Vec::new());
            }
            let arr = mask.as_array_mut().expect("just made an array");
            if arr.len() <= *i {
                arr.resize(i + 1, Value::Bool(false));
            }
            mark(&mut arr[*i], rest);
        }
    }
}

/// A copy of `value` without its sensitive leaves, for pricing: object keys
/// are removed, list elements become `null` so indexes keep their meaning.
pub(crate) fn strip(value: &Value, mask: Option<&Value>) -> Option<Value> {
    if is_whole(mask) {
        return None;
    }
    Some(match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter_map(|(k, v)| {
                    strip(v, child(mask, &Step::Key(k.clone()))).map(|v| (k.clone(), v))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, v)| strip(v, child(mask, &Step::Index(i))).unwrap_or(Value::Null))
                .collect(),
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn state_v4_paths_become_a_mask() {
        let raw = json!([
            [{"type": "get_attr", "value": "password"}],
            [
                {"type": "get_attr", "value": "users"},
                {"type": "index", "value": {"value": 1, "type": "number"}},
                {"type": "get_attr", "value": "secret"}
            ],
            [
                {"type": "get_attr", "value": "env"},
                {"type": "index", "value": {"value": "TOKEN", "type": "string"}}
            ]
        ]);
        let mask = mask_from_state_paths(Some(&raw));
        assert_eq!(
            mask,
            json!({"password": true, "users": [false, {"secret": true}], "env": {"TOKEN": true}})
        );
    }

    #[test]
    fn other_shapes() {
        assert_eq!(mask_from_state_paths(None), json!({}));
        assert_eq!(mask_from_state_paths(Some(&json!([]))), json!({}));
        assert_eq!(
            mask_from_state_paths(Some(&json!({"password": true}))),
            json!({"password": true})
        );
        assert_eq!(
            mask_from_state_paths(Some(&json!(["master.password"]))),
            json!({"master": {"password": true}})
        );
        // Unreadable: everything is sensitive.
        assert_eq!(
            mask_from_state_paths(Some(&json!([[{"type": "weird"}]]))),
            json!(true)
        );
        assert_eq!(mask_from_state_paths(Some(&json!(7))), json!(true));
    }

    #[test]
    fn strip_removes_sensitive_leaves() {
        let v = json!({"password": "p", "size": 8, "list": [{"s": "x", "n": 1}, {"s": "y"}]});
        let m = json!({"password": true, "list": [{"s": true}, true]});
        assert_eq!(
            strip(&v, Some(&m)),
            Some(json!({"size": 8, "list": [{"n": 1}, null]}))
        );
    }
}
