//! Stable fingerprints, so a notification for the same drift is sent once and
//! a drift that disappears is noticed.
//!
//! - change: `sha256("driftcost-change-v1\n" + address + "\n" + path + "\n" + value_hash)`
//!   where `value_hash` is the sha256 of the masked after-value in canonical
//!   JSON (object keys sorted); a sensitive after-value hashes only the literal
//!   `(sensitive)` and whether it is set or removed, so the fingerprint is
//!   stable and reveals nothing;
//! - item: `sha256("driftcost-drift-v1\n" + kind + "\n" + address + "\n" +
//!   sorted change fingerprints joined by "\n")`.
//!
//! No salt and no time: the same input gives the same fingerprint on every run
//! and every machine. Changing the recipe changes every fingerprint, so the
//! `-v1` tags must be bumped with it.

use super::item::{AttributeChange, DisplayValue, DriftKind};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Hash of what is shown as the after-value; never of a sensitive raw value.
pub(crate) fn value_hash(after: &DisplayValue, sensitive: bool) -> String {
    let text = if sensitive {
        match after {
            DisplayValue::Absent => "(sensitive):removed".to_string(),
            _ => "(sensitive):set".to_string(),
        }
    } else {
        match after {
            DisplayValue::Absent => "(absent)".to_string(),
            DisplayValue::Sensitive => "(sensitive):set".to_string(),
            DisplayValue::Unknown => "(unknown)".to_string(),
            DisplayValue::Value(v) => canonical_json(v),
        }
    };
    sha256_hex(text.as_bytes())
}

pub(crate) fn change_fingerprint(
    address: &str,
    path: &str,
    after: &DisplayValue,
    sensitive: bool,
) -> String {
    let text = format!(
        "driftcost-change-v1\n{address}\n{path}\n{}",
        value_hash(after, sensitive)
    );
    sha256_hex(text.as_bytes())
}

pub(crate) fn item_fingerprint(
    kind: DriftKind,
    address: &str,
    changes: &[AttributeChange],
) -> String {
    let mut fps: Vec<&str> = changes.iter().map(|c| c.fingerprint.as_str()).collect();
    fps.sort_unstable();
    let text = format!(
        "driftcost-drift-v1\n{}\n{address}\n{}",
        kind.as_str(),
        fps.join("\n")
    );
    sha256_hex(text.as_bytes())
}

/// JSON with object keys sorted and no whitespace, independent of how the
/// `serde_json` map preserves order in this build.
pub(crate) fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,2],"c":null}}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"c":null,"d":[1,2]},"b":1}"#);
    }

    #[test]
    fn change_fingerprint_is_stable_and_value_sensitive() {
        let v = DisplayValue::Value(json!("bob"));
        let f1 = change_fingerprint("aws_instance.web", "tags.owner", &v, false);
        assert_eq!(
            f1,
            change_fingerprint("aws_instance.web", "tags.owner", &v, false)
        );
        assert_eq!(f1.len(), 64);
        // Pinned: the recipe must not change silently (notifications dedupe on it).
        assert_eq!(
            f1,
            sha256_hex(
                format!(
                    "driftcost-change-v1\naws_instance.web\ntags.owner\n{}",
                    sha256_hex(b"\"bob\"")
                )
                .as_bytes()
            )
        );
        let other = DisplayValue::Value(json!("carol"));
        assert_ne!(
            f1,
            change_fingerprint("aws_instance.web", "tags.owner", &other, false)
        );
        assert_ne!(
            f1,
            change_fingerprint("aws_instance.db", "tags.owner", &v, false)
        );
    }

    #[test]
    fn sensitive_fingerprint_ignores_the_value() {
        let a = change_fingerprint("x.y", "password", &DisplayValue::Sensitive, true);
        assert_eq!(
            a,
            change_fingerprint("x.y", "password", &DisplayValue::Sensitive, true)
        );
        assert_ne!(
            a,
            change_fingerprint("x.y", "password", &DisplayValue::Absent, true)
        );
    }
}
