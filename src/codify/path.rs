//! Attribute paths as drift items show them (`root_block_device[0].volume_size`,
//! `tags["kubernetes.io/role"]`) read back into steps, and values looked up by them.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Steps of a displayed path; `None` when it is not in that notation.
pub(crate) fn parse(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            if r.starts_with('"') {
                let mut de = serde_json::Deserializer::from_str(r).into_iter::<String>();
                let key = de.next()?.ok()?;
                let used = de.byte_offset();
                rest = r[used..].strip_prefix(']')?;
                steps.push(Step::Key(key));
            } else {
                let close = r.find(']')?;
                steps.push(Step::Index(r[..close].parse().ok()?));
                rest = &r[close + 1..];
            }
        } else {
            let r = if steps.is_empty() {
                rest
            } else {
                rest.strip_prefix('.')?
            };
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return None;
            }
            steps.push(Step::Key(r[..end].to_string()));
            rest = &r[end..];
        }
    }
    (!steps.is_empty()).then_some(steps)
}

/// Display form again (for a container path the edit was widened to).
pub(crate) fn display(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        match s {
            Step::Key(k)
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    && !k.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Key(k) => out.push_str(&format!("[{}]", Value::String(k.clone()))),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

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
    fn parses_display_paths() {
        assert_eq!(parse("instance_type"), Some(vec![k("instance_type")]));
        assert_eq!(
            parse("root_block_device[0].volume_size"),
            Some(vec![
                k("root_block_device"),
                Step::Index(0),
                k("volume_size")
            ])
        );
        assert_eq!(
            parse("tags[\"kubernetes.io/role\"]"),
            Some(vec![k("tags"), k("kubernetes.io/role")])
        );
        assert_eq!(parse("a..b"), None);
        assert_eq!(parse(""), None);
        for p in ["ingress[0].cidr_blocks[1]", "tags[\"a.b\"]", "tags.owner"] {
            assert_eq!(display(&parse(p).unwrap()), p);
        }
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
