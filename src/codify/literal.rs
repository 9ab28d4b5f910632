//! Which HCL expressions are literals we may overwrite, why the others are
//! not, and how a JSON value from the plan is written back as HCL.

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use serde_json::Value;

/// A literal all the way down: null, bool, number, plain string, or an
/// array/object of those with identifier or plain-string keys.
pub(crate) fn is_literal(expr: &Expression) -> bool {
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => true,
        Expression::Array(a) => a.iter().all(is_literal),
        Expression::Object(o) => o
            .iter()
            .all(|(k, v)| key_name(k).is_some() && is_literal(v.expr())),
        _ => false,
    }
}

/// The key of an object item when it is a plain name (`owner`, `"kubernetes.io/role"`).
pub(crate) fn key_name(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(i) => Some(i.value().as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().as_str()),
        ObjectKey::Expression(_) => None,
    }
}

/// Why a value in the configuration cannot be rewritten, in words that tell
/// the reader where to change it instead.
pub(crate) fn why_not_literal(expr: &Expression) -> String {
    match expr {
        Expression::Traversal(t) => {
            let root = match &t.expr {
                Expression::Variable(v) => v.value().as_str().to_string(),
                _ => return "set by an expression, not a literal".into(),
            };
            let first = t.operators.first().and_then(|op| match op.value() {
                TraversalOperator::GetAttr(a) => Some(a.value().as_str().to_string()),
                _ => None,
            });
            match (root.as_str(), first) {
                ("var", Some(name)) => format!(
                    "set from variable `var.{name}`; change the variable's value where it is set (tfvars, CI)"
                ),
                ("local", Some(name)) => {
                    format!("set from `local.{name}`; change the local value by hand")
                }
                ("module", Some(name)) => format!("set from an output of `module.{name}`"),
                ("data", _) => "set from a data source".into(),
                (other, Some(name)) => format!("refers to `{other}.{name}`"),
                (other, None) => format!("refers to `{other}`"),
            }
        }
        Expression::Variable(v) => format!("refers to `{}`", v.value().as_str()),
        Expression::FuncCall(f) => format!(
            "computed by the function `{}()`",
            f.name.name.value().as_str()
        ),
        Expression::StringTemplate(_) => "a string template with interpolation".into(),
        Expression::HeredocTemplate(_) => "a heredoc string".into(),
        Expression::Conditional(_) => "a conditional expression".into(),
        Expression::ForExpr(_) => "a `for` expression".into(),
        Expression::Array(_) | Expression::Object(_) => {
            "a collection with non-literal elements".into()
        }
        _ => "set by an expression, not a literal".into(),
    }
}

/// HCL text for a JSON value. `indent` is the indentation of the line the
/// value starts on; `multiline` lays objects out one item per line with
/// aligned `=`, as `terraform fmt` does.
pub(crate) fn render(value: &Value, indent: &str, multiline: bool) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(|v| render(v, indent, false)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().map(|k| object_key(k)).collect();
            if multiline {
                let width = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
                let inner = format!("{indent}  ");
                let mut out = String::from("{\n");
                for (k, v) in keys.iter().zip(map.values()) {
                    let pad = " ".repeat(width - k.chars().count());
                    out.push_str(&format!(
                        "{inner}{k}{pad} = {}\n",
                        render(v, &inner, v.is_object())
                    ));
                }
                out.push_str(indent);
                out.push('}');
                out
            } else {
                let parts: Vec<String> = keys
                    .iter()
                    .zip(map.values())
                    .map(|(k, v)| format!("{k} = {}", render(v, indent, false)))
                    .collect();
                format!("{{ {} }}", parts.join(", "))
            }
        }
    }
}

fn object_key(k: &str) -> String {
    let mut chars = k.chars();
    let ident = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident { k.to_string() } else { quote(k) }
}

/// A quoted HCL string; `${` and `%{` are escaped so nothing is interpolated.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expr(src: &str) -> Expression {
        src.parse().unwrap()
    }

    #[test]
    fn literals_and_not() {
        for lit in [
            "1",
            "\"a\"",
            "true",
            "null",
            "[1, \"b\"]",
            "{ a = 1, \"b.c\" = [true] }",
        ] {
            assert!(is_literal(&expr(lit)), "{lit}");
        }
        for not in [
            "var.size",
            "\"${var.x}-y\"",
            "max(1, 2)",
            "[var.a]",
            "{ (var.k) = 1 }",
            "1 + 2",
        ] {
            assert!(!is_literal(&expr(not)), "{not}");
        }
    }

    #[test]
    fn reasons_name_the_source() {
        assert!(why_not_literal(&expr("var.instance_type")).contains("`var.instance_type`"));
        assert!(why_not_literal(&expr("local.size")).contains("`local.size`"));
        assert!(why_not_literal(&expr("lookup(var.m, \"k\")")).contains("`lookup()`"));
        assert!(why_not_literal(&expr("\"${var.x}\"")).contains("template"));
    }

    #[test]
    fn renders_hcl_that_parses_back() {
        let v = json!({"Name": "web", "kubernetes.io/role": "a\"b${x}", "n": [1, 2.5, true, null]});
        let one = render(&v, "", false);
        assert_eq!(
            one,
            r#"{ Name = "web", "kubernetes.io/role" = "a\"b$${x}", n = [1, 2.5, true, null] }"#
        );
        assert!(is_literal(&expr(&one)));
        let multi = render(&v, "  ", true);
        assert_eq!(
            multi,
            "{\n    Name                 = \"web\"\n    \"kubernetes.io/role\" = \"a\\\"b$${x}\"\n    n                    = [1, 2.5, true, null]\n  }"
        );
        assert!(is_literal(&expr(&multi)));
    }
}
