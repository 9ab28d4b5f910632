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
use std::collections::BTreeSet;

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
/// Paths point into plain values (a dynamic attribute's path skips the
/// state's `{"value", "type"}` wrapper). A path marks everything below it; a
/// step into a set element (addressed by the element's value) marks the
/// whole set. Anything else marks the whole object sensitive.
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

/// The steps of one path. An index step whose key cannot be a list index or
/// map key (a set element, which cty addresses by its whole value) ends the
/// path there: the set as a whole is sensitive. `None`: not a path at all.
fn parse_path(path: &Value) -> Option<Vec<Step>> {
    match path {
        Value::String(s) => Some(s.split('.').map(|k| Step::Key(k.to_string())).collect()),
        Value::Array(steps) => {
            let mut out = Vec::with_capacity(steps.len());
            for step in steps {
                match parse_step(step)? {
                    Some(s) => out.push(s),
                    None => break,
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// `Some(None)`: an index step with a key that addresses no single mask node.
fn parse_step(step: &Value) -> Option<Option<Step>> {
    let kind = step.get("type")?.as_str()?;
    let value = step.get("value")?;
    match kind {
        "get_attr" => Some(Some(Step::Key(value.as_str()?.to_string()))),
        "index" => {
            // cty JSON of a dynamic value: {"value": 0, "type": "number"}.
            let key = match value {
                Value::Object(o) if o.contains_key("value") && o.contains_key("type") => {
                    &o["value"]
                }
                other => other,
            };
            Some(match key {
                Value::Number(n) => n
                    .as_u64()
                    .or_else(|| {
                        n.as_f64()
                            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                            .map(|f| f as u64)
                    })
                    .and_then(|i| usize::try_from(i).ok())
                    .map(Step::Index),
                Value::String(s) => Some(Step::Key(s.clone())),
                _ => None,
            })
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

/// Secrets shorter than this are matched only as whole values, never inside
/// longer strings (as the runner's log redaction does): `on` or `1` inside
/// every text would hide everything while protecting nothing.
const MIN_CONTAINED_LEN: usize = 4;

/// Every value terraform marks sensitive in one resource instance (its plan
/// entries, refreshed state and recorded state), so a copy of one that
/// terraform does *not* mark in the same instance (as `terraform_data.output`
/// holds its sensitive `input` unmarked, or a provider that derives an
/// attribute from a password) is masked too. Scoped to the instance: a
/// sensitive map holding `eu-west-1` must not mask every region and ARN of
/// the workspace; values that flow between resources through references
/// carry terraform's marks with them.
#[derive(Default)]
pub(crate) struct KnownSecrets {
    /// Sensitive strings: matched whole and inside longer strings.
    values: BTreeSet<String>,
    /// Sensitive numbers as written: matched whole only.
    numbers: BTreeSet<String>,
}

// Hand-written so a stray `{:?}` cannot print the secrets.
impl std::fmt::Debug for KnownSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "KnownSecrets({} values)",
            self.values.len() + self.numbers.len()
        )
    }
}

impl KnownSecrets {
    pub(crate) const fn new() -> Self {
        KnownSecrets {
            values: BTreeSet::new(),
            numbers: BTreeSet::new(),
        }
    }

    /// Adds the leaves of `value` that `mask` marks sensitive.
    pub(crate) fn add_masked(&mut self, value: &Value, mask: Option<&Value>) {
        if is_whole(mask) {
            self.add_all(value);
            return;
        }
        if !any(mask) {
            return;
        }
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    self.add_masked(v, child(mask, &Step::Key(k.clone())));
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    self.add_masked(v, child(mask, &Step::Index(i)));
                }
            }
            _ => {}
        }
    }

    fn add_all(&mut self, value: &Value) {
        match value {
            Value::String(s) if !s.is_empty() => {
                self.values.insert(s.clone());
            }
            Value::Number(n) => {
                self.numbers.insert(n.to_string());
            }
            Value::Object(m) => m.values().for_each(|v| self.add_all(v)),
            Value::Array(a) => a.iter().for_each(|v| self.add_all(v)),
            _ => {}
        }
    }

    /// Whether showing `value` would show one of the secrets: a string (or
    /// map key) equal to one or containing one, or a number written the same.
    pub(crate) fn revealed_by(&self, value: &Value) -> bool {
        if self.values.is_empty() && self.numbers.is_empty() {
            return false;
        }
        match value {
            Value::String(s) => self.text_reveals(s),
            Value::Number(n) => {
                let text = n.to_string();
                self.numbers.contains(&text) || self.values.contains(&text)
            }
            Value::Object(m) => m
                .iter()
                .any(|(k, v)| self.text_reveals(k) || self.revealed_by(v)),
            Value::Array(a) => a.iter().any(|v| self.revealed_by(v)),
            _ => false,
        }
    }

    fn text_reveals(&self, s: &str) -> bool {
        self.values.contains(s)
            || self.numbers.contains(s)
            || self
                .values
                .iter()
                .any(|secret| secret.len() >= MIN_CONTAINED_LEN && s.contains(secret.as_str()))
    }

    /// A copy of `value` without the parts that reveal a secret (object keys
    /// removed, list elements nulled), for pricing.
    pub(crate) fn scrub(&self, value: &Value) -> Option<Value> {
        if !self.revealed_by(value) {
            return Some(value.clone());
        }
        match value {
            Value::Object(m) => Some(Value::Object(
                m.iter()
                    .filter(|(k, _)| !self.text_reveals(k))
                    .filter_map(|(k, v)| self.scrub(v).map(|v| (k.clone(), v)))
                    .collect(),
            )),
            Value::Array(a) => Some(Value::Array(
                a.iter()
                    .map(|v| self.scrub(v).unwrap_or(Value::Null))
                    .collect(),
            )),
            _ => None,
        }
    }
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
        // A set element (addressed by its value): the whole set.
        assert_eq!(
            mask_from_state_paths(Some(&json!([[
                {"type": "get_attr", "value": "rule"},
                {"type": "index", "value": {"value": {"port": 22}, "type": ["object", {"port": "number"}]}},
                {"type": "get_attr", "value": "secret"}
            ]]))),
            json!({"rule": true})
        );
        assert_eq!(
            mask_from_state_paths(Some(&json!([[
                {"type": "get_attr", "value": "l"},
                {"type": "index", "value": {"value": 1.0, "type": "number"}}
            ]]))),
            json!({"l": [false, true]})
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

    #[test]
    fn known_secrets_catch_unmarked_copies() {
        let mut secrets = KnownSecrets::default();
        secrets.add_masked(
            &json!({"input": {"password": "hunter2-pw", "user": "admin", "pin": 12345}, "n": 1}),
            Some(&json!({"input": {"password": true, "pin": true}})),
        );
        secrets.add_masked(
            &json!({"token": ["ab", "tok-123456"]}),
            Some(&json!({"token": true})),
        );
        for v in [
            json!("hunter2-pw"),
            json!({"output": {"password": "hunter2-pw"}}),
            json!("postgres://admin:hunter2-pw@db"),
            json!(["x", "tok-123456"]),
            json!({"hunter2-pw": "key"}),
            json!(12345),
            json!("ab"),
        ] {
            assert!(secrets.revealed_by(&v), "{v}");
        }
        for v in [
            json!("admin"),
            json!(1),
            json!("abc"),
            json!(true),
            json!(null),
        ] {
            assert!(!secrets.revealed_by(&v), "{v}");
        }
        assert!(!format!("{secrets:?}").contains("hunter2"));
        assert_eq!(
            secrets.scrub(&json!({"a": "x", "b": "pw=hunter2-pw", "c": ["tok-123456", "y"]})),
            Some(json!({"a": "x", "c": [null, "y"]}))
        );
    }
}
