//! Removing secret values from captured terraform output before it is kept.

use serde_json::Value;

/// Shortest value worth redacting: shorter ones (`1`, `on`) would mangle every
/// log line while protecting nothing.
const MIN_SECRET_LEN: usize = 4;
const MASK: &str = "(sensitive value)";

/// Known secret values (workspace env values, sensitive variables, and every
/// value terraform marked sensitive in the plan).
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    pub fn add(&mut self, secret: impl Into<String>) {
        let s = secret.into();
        if s.len() >= MIN_SECRET_LEN && !self.secrets.contains(&s) {
            self.secrets.push(s);
            // Longest first, so a secret containing another is masked whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Adds every sensitive leaf of a plan or state JSON document.
    pub fn add_sensitive_from_plan(&mut self, plan: &Value) {
        for list in ["resource_changes", "resource_drift"] {
            for rc in plan
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let change = &rc["change"];
                self.add_masked(&change["before"], &change["before_sensitive"]);
                self.add_masked(&change["after"], &change["after_sensitive"]);
            }
        }
        for section in ["prior_state", "planned_values"] {
            let root = plan.get(section).map(|s| s.get("values").unwrap_or(s));
            if let Some(root) = root.and_then(|r| r.get("root_module")) {
                self.add_module(root);
            }
        }
        if let Some(vars) = plan
            .pointer("/configuration/root_module/variables")
            .and_then(Value::as_object)
        {
            for (name, decl) in vars {
                if decl.get("sensitive").and_then(Value::as_bool) == Some(true)
                    && let Some(v) = plan.pointer(&format!("/variables/{name}/value"))
                {
                    self.add_masked(v, &Value::Bool(true));
                }
            }
        }
        for (_, oc) in plan
            .get("output_changes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.add_masked(&oc["before"], &oc["before_sensitive"]);
            self.add_masked(&oc["after"], &oc["after_sensitive"]);
        }
    }

    fn add_module(&mut self, module: &Value) {
        for r in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.add_masked(&r["values"], &r["sensitive_values"]);
        }
        for child in module
            .get("child_modules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.add_module(child);
        }
    }

    /// Adds the leaves of `value` that `mask` marks `true` (terraform's mask shape).
    pub fn add_masked(&mut self, value: &Value, mask: &Value) {
        match (mask, value) {
            (Value::Bool(true), v) => self.add_all_leaves(v),
            (Value::Object(m), Value::Object(v)) => {
                for (k, sub) in m {
                    if let Some(val) = v.get(k) {
                        self.add_masked(val, sub);
                    }
                }
            }
            (Value::Array(m), Value::Array(v)) => {
                for (sub, val) in m.iter().zip(v) {
                    self.add_masked(val, sub);
                }
            }
            _ => {}
        }
    }

    fn add_all_leaves(&mut self, v: &Value) {
        match v {
            Value::String(s) => self.add(s.clone()),
            Value::Number(n) => self.add(n.to_string()),
            Value::Array(items) => items.iter().for_each(|i| self.add_all_leaves(i)),
            Value::Object(m) => m.values().for_each(|i| self.add_all_leaves(i)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every known secret replaced by `(sensitive value)`; the JSON
    /// string-escaped form of each secret is masked too.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
            let escaped = serde_json::to_string(s).unwrap_or_default();
            let escaped = escaped.trim_matches('"');
            if escaped != s && out.contains(escaped) {
                out = out.replace(escaped, MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_values_terraform_marked_sensitive() {
        let plan = json!({
            "resource_drift": [{"change": {
                "before": {"password": "hunter2-old", "name": "db"},
                "before_sensitive": {"password": true},
                "after": {"password": "hunter2-new", "name": "db"},
                "after_sensitive": {"password": true}}}],
            "variables": {"token": {"value": "tok\"en-value"}},
            "configuration": {"root_module": {"variables": {"token": {"sensitive": true}}}}
        });
        let mut r = Redactor::default();
        r.add_sensitive_from_plan(&plan);
        let text =
            r#"old hunter2-old new hunter2-new name db json "tok\"en-value" raw tok"en-value"#;
        let out = r.redact(text);
        assert!(!out.contains("hunter2"), "{out}");
        assert!(!out.contains("en-value"), "{out}");
        assert!(out.contains("name db"));
    }
}
