//! Attribute paths inside a resource: how they are shown to people
//! (`ingress[0].cidr_blocks[1]`, `tags["kubernetes.io/role"]`) and how they are
//! matched by ignore globs (`ingress.0.cidr_blocks.1`, `tags.kubernetes.io/role`).
//!
//! Globs see dots only: brackets are glob character classes, so an index in the
//! matched string would be unmatchable without escaping.

use serde_json::Value;

/// One step into an attribute value: an object key / map key, or a list index.
/// An [`AttributeChange`](super::AttributeChange) carries its steps, so code
/// that needs the attribute (codify) never reads the display string back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Terraform-style display: identifiers after a dot, other keys quoted in brackets.
pub fn display(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) if is_identifier(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Key(k) => {
                out.push('[');
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(']');
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Dot-joined form that ignore globs are matched against.
pub(crate) fn match_form(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A resource address split into its dotted parts, with instance keys either
/// kept as their own segment (`module.a.0.aws_instance.web.k`, `keep_keys`) or
/// dropped (`module.a.aws_instance.web`, the configuration address).
pub(crate) fn address_match_form(address: &str, keep_keys: bool) -> String {
    let mut out = String::with_capacity(address.len());
    let mut chars = address.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '[' {
            out.push(c);
            continue;
        }
        // Read the bracketed key, honouring quotes so `["a]b"]` stays one key.
        let mut raw = String::new();
        let mut in_quotes = false;
        let mut escaped = false;
        for c in chars.by_ref() {
            if in_quotes {
                raw.push(c);
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_quotes = false,
                    _ => {}
                }
                continue;
            }
            match c {
                ']' => break,
                '"' => {
                    in_quotes = true;
                    raw.push(c);
                }
                _ => raw.push(c),
            }
        }
        if keep_keys {
            let key = serde_json::from_str::<String>(&raw).unwrap_or(raw);
            out.push('.');
            out.push_str(&key);
        }
    }
    out
}

/// Rewrites the index forms people naturally write in an ignore rule
/// (`[0]`, `["Owner"]`, `[*]`) to the dotted match form; other bracket
/// expressions stay glob character classes.
pub(crate) fn normalize_rule(rule: &str) -> String {
    let mut out = String::with_capacity(rule.len());
    let bytes: Vec<char> = rule.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == '['
            && let Some((segment, next)) = bracket_segment(&bytes, i)
        {
            out.push('.');
            out.push_str(&segment);
            i = next;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// `[123]`, `[*]` or `["quoted"]` starting at `start`; returns the dotted
/// segment and the position after `]`.
fn bracket_segment(chars: &[char], start: usize) -> Option<(String, usize)> {
    let close = chars[start..].iter().position(|&c| c == ']')? + start;
    let inner: String = chars[start + 1..close].iter().collect();
    if inner == "*" || (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit())) {
        return Some((inner, close + 1));
    }
    if inner.starts_with('"') {
        // The closing quote may be followed by `]` later if the key holds one.
        let rest: String = chars[start + 1..].iter().collect();
        let mut de = serde_json::Deserializer::from_str(&rest).into_iter::<String>();
        let key = de.next()?.ok()?;
        let used = de.byte_offset();
        let after: Vec<char> = rest[used..].chars().collect();
        if after.first() == Some(&']') {
            let consumed = rest[..used].chars().count();
            return Some((globset::escape(&key), start + 1 + consumed + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Step {
        Step::Key(s.into())
    }

    #[test]
    fn display_uses_terraform_notation() {
        assert_eq!(display(&[k("tags"), k("owner")]), "tags.owner");
        assert_eq!(
            display(&[
                k("ingress"),
                Step::Index(0),
                k("cidr_blocks"),
                Step::Index(1)
            ]),
            "ingress[0].cidr_blocks[1]"
        );
        assert_eq!(
            display(&[k("tags"), k("kubernetes.io/role")]),
            "tags[\"kubernetes.io/role\"]"
        );
    }

    #[test]
    fn match_form_is_dotted() {
        assert_eq!(
            match_form(&[k("ingress"), Step::Index(0), k("cidr_blocks")]),
            "ingress.0.cidr_blocks"
        );
    }

    #[test]
    fn address_forms() {
        let a = "module.net[\"eu\"].aws_instance.web[0]";
        assert_eq!(
            address_match_form(a, true),
            "module.net.eu.aws_instance.web.0"
        );
        assert_eq!(address_match_form(a, false), "module.net.aws_instance.web");
        assert_eq!(
            address_match_form("aws_instance.web[\"a]b\"]", true),
            "aws_instance.web.a]b"
        );
    }

    #[test]
    fn rules_rewrite_indexes() {
        assert_eq!(
            normalize_rule("aws_sg.x.ingress[0].cidr_blocks[*]"),
            "aws_sg.x.ingress.0.cidr_blocks.*"
        );
        assert_eq!(normalize_rule("*.*.tags[\"Owner\"]"), "*.*.tags.Owner");
        assert_eq!(
            normalize_rule("aws_instance.web[ab]"),
            "aws_instance.web[ab]"
        );
        assert_eq!(normalize_rule("x.tags[\"a*b\"]"), "x.tags.a[*]b");
    }
}
