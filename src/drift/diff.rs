//! Attribute-level diff of two resource objects.
//!
//! Rules, in the order they apply:
//! - null, `""`, `[]`, `{}` and a missing key compare equal: providers and
//!   terraform versions write "nothing" in all these ways, and none is drift;
//! - numbers compare by value (`1` equals `1.0`);
//! - objects are compared key by key (keys sorted, so output is stable);
//! - lists (and sets, which JSON shows as lists) of equal length compare by
//!   index; of different lengths, elements present on both sides are matched
//!   by content and the rest are reported as removed (before index) or added
//!   (after index), so one added CIDR does not shift every later element;
//! - a subtree terraform marks sensitive *as a whole* is compared but not
//!   walked, so not even its keys or length appear; the change is one line;
//! - a change under `tags_all` that repeats a change under `tags` with the
//!   same before and after is dropped: the AWS provider mirrors `tags` into
//!   `tags_all`, and one edit should be reported once (a `tags_all` change
//!   with no matching `tags` change, e.g. from `default_tags`, is kept).

use super::item::DisplayValue;
use super::path::Step;
use super::sensitive;
use serde_json::Value;
use std::collections::BTreeSet;

/// A change before it gets an address and fingerprint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeafChange {
    pub steps: Vec<Step>,
    pub before: DisplayValue,
    pub after: DisplayValue,
    pub sensitive: bool,
}

/// The two sides to compare with their masks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sides<'a> {
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
    pub before_sensitive: Option<&'a Value>,
    pub after_sensitive: Option<&'a Value>,
    pub after_unknown: Option<&'a Value>,
}

impl<'a> Sides<'a> {
    fn child(&self, step: &Step) -> Sides<'a> {
        Sides {
            before: get(self.before, step),
            after: get(self.after, step),
            before_sensitive: sensitive::child(self.before_sensitive, step),
            after_sensitive: sensitive::child(self.after_sensitive, step),
            after_unknown: unknown_child(self.after_unknown, step),
        }
    }

    fn before_only(&self, step: &Step) -> Sides<'a> {
        Sides {
            before: get(self.before, step),
            before_sensitive: sensitive::child(self.before_sensitive, step),
            ..Sides::default()
        }
    }

    fn after_only(&self, step: &Step) -> Sides<'a> {
        Sides {
            after: get(self.after, step),
            after_sensitive: sensitive::child(self.after_sensitive, step),
            after_unknown: unknown_child(self.after_unknown, step),
            ..Sides::default()
        }
    }
}

fn get<'a>(v: Option<&'a Value>, step: &Step) -> Option<&'a Value> {
    match (v?, step) {
        (Value::Object(m), Step::Key(k)) => m.get(k),
        (Value::Array(a), Step::Index(i)) => a.get(*i),
        _ => None,
    }
}

fn unknown_child<'a>(mask: Option<&'a Value>, step: &Step) -> Option<&'a Value> {
    match (mask?, step) {
        (Value::Object(m), Step::Key(k)) => m.get(k),
        (Value::Array(a), Step::Index(i)) => a.get(*i),
        _ => None,
    }
}

/// Every differing leaf between `sides.before` and `sides.after`.
pub(crate) fn diff(sides: Sides<'_>) -> Vec<LeafChange> {
    let mut out = Vec::new();
    walk(&mut Vec::new(), sides, &mut out);
    dedupe_tags_all(out)
}

fn walk(path: &mut Vec<Step>, s: Sides<'_>, out: &mut Vec<LeafChange>) {
    let b = s.before.filter(|v| !is_empty(v));
    let a = s.after.filter(|v| !is_empty(v));

    if matches!(s.after_unknown, Some(Value::Bool(true))) {
        let sens = sensitive::any(s.before_sensitive) || sensitive::any(s.after_sensitive);
        out.push(LeafChange {
            steps: path.clone(),
            before: if sens {
                DisplayValue::Sensitive
            } else {
                shown(b)
            },
            after: DisplayValue::Unknown,
            sensitive: sens,
        });
        return;
    }
    if sensitive::is_whole(s.before_sensitive) || sensitive::is_whole(s.after_sensitive) {
        if !equal(b, a) {
            out.push(sensitive_change(path, b, a));
        }
        return;
    }
    match (b, a) {
        (None, None) => {}
        (Some(Value::Object(_)), None | Some(Value::Object(_)))
        | (None, Some(Value::Object(_))) => {
            // Unknown attributes are left out of `after`; the mask still names them.
            let unknown = s.after_unknown.filter(|u| u.is_object());
            let keys: BTreeSet<&String> = [b, a, unknown]
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|m| m.keys())
                .collect();
            for k in keys {
                let step = Step::Key(k.clone());
                let child = s.child(&step);
                path.push(step);
                walk(path, child, out);
                path.pop();
            }
        }
        (Some(Value::Array(_)), None | Some(Value::Array(_))) | (None, Some(Value::Array(_))) => {
            walk_list(path, s, b, a, out)
        }
        _ => {
            if !equal(b, a) {
                let sens = sensitive::any(s.before_sensitive) || sensitive::any(s.after_sensitive);
                out.push(if sens {
                    sensitive_change(path, b, a)
                } else {
                    LeafChange {
                        steps: path.clone(),
                        before: shown(b),
                        after: shown(a),
                        sensitive: false,
                    }
                });
            }
        }
    }
}

fn walk_list(
    path: &mut Vec<Step>,
    s: Sides<'_>,
    b: Option<&Value>,
    a: Option<&Value>,
    out: &mut Vec<LeafChange>,
) {
    let empty = Vec::new();
    let bl = b.and_then(Value::as_array).unwrap_or(&empty);
    let al = a.and_then(Value::as_array).unwrap_or(&empty);
    if bl.len() == al.len() || bl.is_empty() || al.is_empty() {
        for i in 0..bl.len().max(al.len()) {
            let step = Step::Index(i);
            let child = s.child(&step);
            path.push(step);
            walk(path, child, out);
            path.pop();
        }
        return;
    }
    // Different lengths: match equal elements, report the rest.
    let mut used = vec![false; al.len()];
    let mut removed = Vec::new();
    for (i, bv) in bl.iter().enumerate() {
        let hit = (0..al.len()).find(|&j| !used[j] && equal(Some(bv), Some(&al[j])));
        match hit {
            Some(j) => used[j] = true,
            None => removed.push(i),
        }
    }
    for i in removed {
        let step = Step::Index(i);
        let child = s.before_only(&step);
        path.push(step);
        walk(path, child, out);
        path.pop();
    }
    for (j, _) in used.iter().enumerate().filter(|(_, u)| !**u) {
        let step = Step::Index(j);
        let child = s.after_only(&step);
        path.push(step);
        walk(path, child, out);
        path.pop();
    }
}

fn sensitive_change(path: &[Step], b: Option<&Value>, a: Option<&Value>) -> LeafChange {
    LeafChange {
        steps: path.to_vec(),
        before: if b.is_some() {
            DisplayValue::Sensitive
        } else {
            DisplayValue::Absent
        },
        after: if a.is_some() {
            DisplayValue::Sensitive
        } else {
            DisplayValue::Absent
        },
        sensitive: true,
    }
}

fn shown(v: Option<&Value>) -> DisplayValue {
    match v {
        Some(v) if !is_empty(v) => DisplayValue::Value(v.clone()),
        _ => DisplayValue::Absent,
    }
}

/// Null, empty string, empty list and empty map all mean "not set".
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// Deep equality under the "empty equals absent" rule.
pub(crate) fn equal(b: Option<&Value>, a: Option<&Value>) -> bool {
    let b = b.filter(|v| !is_empty(v));
    let a = a.filter(|v| !is_empty(v));
    match (b, a) {
        (None, None) => true,
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            x.keys().chain(y.keys()).all(|k| equal(x.get(k), y.get(k)))
        }
        (Some(Value::Object(x)), None) | (None, Some(Value::Object(x))) => {
            x.values().all(|v| equal(Some(v), None))
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(Some(p), Some(q)))
        }
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64())
        }
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn dedupe_tags_all(changes: Vec<LeafChange>) -> Vec<LeafChange> {
    let under = |c: &LeafChange, root: &str| -> bool {
        matches!(c.steps.first(), Some(Step::Key(k)) if k == root)
    };
    let tag_changes: Vec<(&[Step], &DisplayValue, &DisplayValue)> = changes
        .iter()
        .filter(|c| under(c, "tags"))
        .map(|c| (&c.steps[1..], &c.before, &c.after))
        .collect();
    let drop: Vec<bool> = changes
        .iter()
        .map(|c| {
            under(c, "tags_all") && tag_changes.contains(&(&c.steps[1..], &c.before, &c.after))
        })
        .collect();
    changes
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(c, _)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::path::display;
    use serde_json::json;

    fn run(before: Value, after: Value) -> Vec<(String, String, String)> {
        diff(Sides {
            before: Some(&before),
            after: Some(&after),
            ..Sides::default()
        })
        .into_iter()
        .map(|c| (display(&c.steps), c.before.to_string(), c.after.to_string()))
        .collect()
    }

    fn t(p: &str, b: &str, a: &str) -> (String, String, String) {
        (p.into(), b.into(), a.into())
    }

    #[test]
    fn nested_objects_and_lists_by_index() {
        let got = run(
            json!({"tags": {"owner": "alice", "Name": "web"}, "root_block_device": [{"volume_size": 8, "iops": 3000}]}),
            json!({"tags": {"owner": "bob", "Name": "web"}, "root_block_device": [{"volume_size": 20, "iops": 3000}]}),
        );
        assert_eq!(
            got,
            vec![
                t("root_block_device[0].volume_size", "8", "20"),
                t("tags.owner", "\"alice\"", "\"bob\""),
            ]
        );
    }

    #[test]
    fn empty_values_equal_absent() {
        let got = run(
            json!({"a": null, "b": "", "c": [], "d": {}, "e": {"x": null}, "n": 1}),
            json!({"b": null, "c": null, "d": [], "e": null, "f": "", "n": 1.0}),
        );
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn list_length_change_reports_additions_and_removals() {
        let got = run(
            json!({"ingress": [{"cidr_blocks": ["10.0.0.0/16", "10.1.0.0/16"]}]}),
            json!({"ingress": [{"cidr_blocks": ["10.1.0.0/16", "192.168.0.0/24", "10.0.0.0/16"]}]}),
        );
        assert_eq!(
            got,
            vec![t(
                "ingress[0].cidr_blocks[1]",
                "(none)",
                "\"192.168.0.0/24\""
            )]
        );
        let got = run(json!({"l": ["a", "b", "c"]}), json!({"l": ["c", "a"]}));
        assert_eq!(got, vec![t("l[1]", "\"b\"", "(none)")]);
    }

    #[test]
    fn added_object_is_reported_per_leaf() {
        let got = run(
            json!({"ingress": [{"from_port": 22}]}),
            json!({"ingress": [{"from_port": 22}, {"from_port": 443, "protocol": "tcp"}]}),
        );
        assert_eq!(
            got,
            vec![
                t("ingress[1].from_port", "(none)", "443"),
                t("ingress[1].protocol", "(none)", "\"tcp\""),
            ]
        );
    }

    #[test]
    fn sensitive_leaves_and_subtrees_are_masked() {
        let before = json!({"password": "old-secret", "env": {"K1": "v1"}, "size": 1});
        let after = json!({"password": "new-secret", "env": {"K1": "v2", "K2": "v3"}, "size": 2});
        let changes = diff(Sides {
            before: Some(&before),
            after: Some(&after),
            before_sensitive: Some(&json!({"password": true, "env": true})),
            after_sensitive: Some(&json!({"password": true, "env": true})),
            after_unknown: None,
        });
        let paths: Vec<String> = changes.iter().map(|c| display(&c.steps)).collect();
        assert_eq!(paths, vec!["env", "password", "size"]);
        assert!(changes[0].sensitive && changes[1].sensitive && !changes[2].sensitive);
        assert_eq!(changes[1].before, DisplayValue::Sensitive);
        assert!(!format!("{changes:?}").contains("secret"));
        assert!(!format!("{changes:?}").contains("K2"));
    }

    #[test]
    fn tags_all_mirroring_tags_is_reported_once() {
        let got = run(
            json!({"tags": {"o": "a"}, "tags_all": {"o": "a", "env": "x"}}),
            json!({"tags": {"o": "b"}, "tags_all": {"o": "b", "env": "y"}}),
        );
        assert_eq!(
            got,
            vec![
                t("tags.o", "\"a\"", "\"b\""),
                t("tags_all.env", "\"x\"", "\"y\"")
            ]
        );
    }

    #[test]
    fn unknown_after_values() {
        let before = json!({"id": "i-1", "arn": "a"});
        let after = json!({"id": "i-1", "arn": null});
        let got: Vec<String> = diff(Sides {
            before: Some(&before),
            after: Some(&after),
            after_unknown: Some(&json!({"arn": true})),
            ..Sides::default()
        })
        .iter()
        .map(|c| format!("{}: {} → {}", display(&c.steps), c.before, c.after))
        .collect();
        assert_eq!(got, vec!["arn: \"a\" → (known after apply)"]);
    }
}
