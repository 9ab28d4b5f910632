//! Values looked up by the path steps a drift change carries, and whether
//! terraform's sensitivity mask covers them.

use crate::drift::PathStep as Step;
use serde_json::Value;

/// The value at `steps`, if present.
pub(crate) fn get<'a>(value: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(value, |v, s| match s {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(*i),
    })
}

/// Whether terraform's sensitivity mask (`after_sensitive`) marks anything at,
/// above or below `steps` as sensitive.
pub(crate) fn touches_sensitive(mask: Option<&Value>, steps: &[Step]) -> bool {
    fn any_true(v: &Value) -> bool {
        match v {
            Value::Bool(b) => *b,
            Value::Array(a) => a.iter().any(any_true),
            Value::Object(o) => o.values().any(any_true),
            _ => false,
        }
    }
    let Some(mut v) = mask else { return false };
    for s in steps {
        if v == &Value::Bool(true) {
            return true;
        }
        let next = match s {
            Step::Key(k) => v.get(k),
            Step::Index(i) => v.get(*i),
        };
        match next {
            Some(n) => v = n,
            None => return false,
        }
    }
    any_true(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn k(s: &str) -> Step {
        Step::Key(s.into())
    }

    #[test]
    fn sensitivity_above_below_or_at() {
        let mask = json!({"password": true, "tags": {}, "nested": [{"secret": true}]});
        assert!(touches_sensitive(Some(&mask), &[k("password")]));
        assert!(touches_sensitive(Some(&mask), &[k("nested")]));
        assert!(touches_sensitive(Some(&mask), &[k("password"), k("inner")]));
        assert!(!touches_sensitive(Some(&mask), &[k("tags"), k("owner")]));
        assert!(!touches_sensitive(None, &[k("password")]));
    }
}
