//! Reading resource attributes from a plan's `before`/`after` objects.

use rust_decimal::Decimal;
use serde_json::Value;
use std::cell::RefCell;
use std::str::FromStr;

/// Largest number a plan attribute may hold when read as a quantity: sizes,
/// counts and IOPS are far below it, and products of two stay inside a
/// decimal, so resource files can multiply them without overflowing.
pub(crate) const MAX_ATTRIBUTE: Decimal = rust_decimal_macros::dec!(1_000_000_000_000);

/// Why a number read from the plan cannot be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadNumber {
    Negative,
    TooLarge,
}

/// One bad number: the JSON node's address, why, and the value as written.
pub(crate) type BadRead = (usize, BadNumber, String);

thread_local! {
    /// While the engine prices one resource: the JSON nodes read as numbers
    /// that cannot be right (by address, to find their path afterwards).
    static BAD_READS: RefCell<Option<Vec<BadRead>>> = const { RefCell::new(None) };
}

/// Runs `f` noting every negative or too large number read through
/// [`Attrs::decimal`]; returns them as node addresses for [`path_of`].
pub(crate) fn watch_numbers<R>(f: impl FnOnce() -> R) -> (R, Vec<BadRead>) {
    BAD_READS.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let out = f();
    let bad = BAD_READS
        .with(|r| r.borrow_mut().take())
        .unwrap_or_default();
    (out, bad)
}

fn note_bad(node: &Value, d: Option<Decimal>) {
    let kind = match d {
        Some(d) if d.is_sign_negative() && !d.is_zero() => BadNumber::Negative,
        Some(d) if d.abs() > MAX_ATTRIBUTE => BadNumber::TooLarge,
        // A JSON number too large for a decimal at all.
        None if node.is_number() => BadNumber::TooLarge,
        _ => return,
    };
    let text = match node {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    BAD_READS.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push((node as *const Value as usize, kind, text));
        }
    });
}

/// The path (`ebs_block_device[0].volume_size`) of the node at `addr` inside `root`.
pub(crate) fn path_of(root: &Value, addr: usize) -> Option<String> {
    if root as *const Value as usize == addr {
        return Some(String::new());
    }
    match root {
        Value::Object(m) => m.iter().find_map(|(k, v)| {
            path_of(v, addr).map(|rest| {
                if rest.is_empty() || rest.starts_with('[') {
                    format!("{k}{rest}")
                } else {
                    format!("{k}.{rest}")
                }
            })
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            path_of(v, addr).map(|rest| {
                if rest.is_empty() || rest.starts_with('[') {
                    format!("[{i}]{rest}")
                } else {
                    format!("[{i}].{rest}")
                }
            })
        }),
        _ => None,
    }
}

/// A resource's attribute object. Unknown-at-plan-time attributes are absent
/// or null in the plan, so every getter returns `Option` and callers fall back
/// to what the cloud bills by default.
#[derive(Debug, Clone, Copy)]
pub struct Attrs<'a> {
    value: &'a Value,
}

static NULL: Value = Value::Null;

impl<'a> Attrs<'a> {
    pub fn new(value: &'a Value) -> Self {
        Attrs { value }
    }

    pub fn empty() -> Attrs<'static> {
        Attrs { value: &NULL }
    }

    pub fn raw(&self) -> &'a Value {
        self.value
    }

    /// Value at a dotted path; numeric steps index lists
    /// (`root_block_device.0.volume_size`). Null counts as absent.
    pub fn get(&self, path: &str) -> Option<&'a Value> {
        let mut cur = self.value;
        for step in path.split('.') {
            cur = match cur {
                Value::Object(m) => m.get(step)?,
                Value::Array(items) => items.get(step.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        (!cur.is_null()).then_some(cur)
    }

    /// A non-empty string.
    pub fn str(&self, path: &str) -> Option<&'a str> {
        self.get(path)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A number, or a string holding one (terraform writes some numbers as strings).
    /// A negative or implausibly large number is noted for the engine, which
    /// refuses the estimate naming the field.
    pub fn decimal(&self, path: &str) -> Option<Decimal> {
        let node = self.get(path)?;
        let d = match node {
            Value::Number(n) => decimal_from_number(n),
            Value::String(s) => Decimal::from_str(s.trim()).ok(),
            _ => None,
        };
        note_bad(node, d);
        d
    }

    pub fn bool(&self, path: &str) -> Option<bool> {
        match self.get(path)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// A nested block: the first element of a list block, or an object.
    pub fn block(&self, path: &str) -> Option<Attrs<'a>> {
        match self.get(path)? {
            Value::Array(items) => items.first().filter(|v| !v.is_null()).map(Attrs::new),
            v @ Value::Object(_) => Some(Attrs::new(v)),
            _ => None,
        }
    }

    /// Every element of a list/set block (empty when absent).
    pub fn blocks(&self, path: &str) -> Vec<Attrs<'a>> {
        match self.get(path) {
            Some(Value::Array(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(Attrs::new)
                .collect(),
            Some(v @ Value::Object(_)) => vec![Attrs::new(v)],
            _ => Vec::new(),
        }
    }

    /// Length of a list attribute (0 when absent).
    pub fn len(&self, path: &str) -> usize {
        match self.get(path) {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        }
    }
}

/// Exact conversion of a JSON number to `Decimal` via its shortest decimal text.
pub(crate) fn decimal_from_number(n: &serde_json::Number) -> Option<Decimal> {
    if let Some(i) = n.as_i64() {
        return Some(Decimal::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Decimal::from(u));
    }
    let text = n.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn paths_walk_objects_and_lists() {
        let v = json!({"root_block_device": [{"volume_size": 30, "volume_type": "gp3"}], "iops": "3000", "n": null, "f": 0.5});
        let a = Attrs::new(&v);
        assert_eq!(a.decimal("root_block_device.0.volume_size"), Some(dec!(30)));
        assert_eq!(
            a.block("root_block_device").unwrap().str("volume_type"),
            Some("gp3")
        );
        assert_eq!(a.decimal("iops"), Some(dec!(3000)));
        assert_eq!(a.decimal("f"), Some(dec!(0.5)));
        assert_eq!(a.get("n"), None);
        assert_eq!(a.str("missing"), None);
        assert!(a.blocks("ebs_block_device").is_empty());
    }
}
