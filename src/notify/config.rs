//! Reading one `[notify.<name>]` table of a job file into a channel's
//! configuration: the one place a notification target is validated, so
//! `jobs check` and the worker cannot disagree about what a valid target is.
//!
//! The job loader hands over the table with its spans; each channel's
//! `config.rs` reads its own fields through [`Fields`], which records every
//! problem with the span to point at. The loader turns the problems into
//! `file:line: notify.<name>.<field>: message` errors.
//!
//! Every secret (password, token, webhook URL, HMAC key) is given as the name
//! of an environment variable (`*_env`); a field that would hold the value
//! itself is refused with the `*_env` field to use instead.

use crate::env::env_name_problem;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::{Spanned, Value};

/// A `[notify.<name>]` table as TOML gives it, with the span of every key and value.
pub type RawTarget = BTreeMap<Spanned<String>, Spanned<Value>>;

/// One thing wrong with a target, at a byte span of the job file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    /// `notify.<name>.<key>`, or `notify.<name>` for the table itself.
    pub field: String,
    pub message: String,
}

/// The fields of one target table, read by the channel's config parser.
/// Each accessor records its own problem and yields `None` (or a default).
pub struct Fields<'a> {
    name: &'a str,
    kind: &'a str,
    table_span: Range<usize>,
    raw: &'a RawTarget,
    problems: Vec<Problem>,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(
        name: &'a str,
        kind: &'a str,
        table_span: Range<usize>,
        raw: &'a RawTarget,
    ) -> Self {
        Fields {
            name,
            kind,
            table_span,
            raw,
            problems: Vec::new(),
        }
    }

    /// The problems recorded so far.
    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    fn field(&self, key: &str) -> String {
        format!("notify.{}.{key}", self.name)
    }

    /// The key and value of `key`, when the table sets it.
    pub fn get(&self, key: &str) -> Option<(&'a Spanned<String>, &'a Spanned<Value>)> {
        self.raw.iter().find(|(k, _)| k.get_ref() == key)
    }

    /// Records a problem with `key`'s value (or the table, when `key` is not set).
    pub fn invalid(&mut self, key: &str, message: String) {
        let span = self
            .get(key)
            .map(|(_, v)| v.span())
            .unwrap_or_else(|| self.table_span.clone());
        self.invalid_at(span, key, message);
    }

    /// Records a problem at `span`, named after `key`.
    pub fn invalid_at(&mut self, span: Range<usize>, key: &str, message: String) {
        let field = self.field(key);
        self.problems.push(Problem {
            span,
            field,
            message,
        });
    }

    /// Records that a required `key` is missing, with what to write.
    pub fn missing(&mut self, key: &str, message: String) {
        self.invalid_at(self.table_span.clone(), key, message);
    }

    /// A non-empty string (trimmed); `required` records a missing key.
    pub fn string(&mut self, key: &str, required: bool) -> Option<String> {
        match self.get(key) {
            None => {
                if required {
                    let kind = self.kind;
                    self.missing(key, format!("missing; kind \"{kind}\" needs `{key}`"));
                }
                None
            }
            Some((_, v)) => match v.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => {
                    self.invalid(key, "must be a non-empty string".into());
                    None
                }
            },
        }
    }

    /// The name of an environment variable holding a secret (never the
    /// secret itself); `required` records a missing key.
    pub fn env_name(&mut self, key: &str, required: bool) -> Option<String> {
        let name = self.string(key, required)?;
        if let Some(problem) = env_name_problem(&name) {
            self.invalid(key, problem);
            return None;
        }
        Some(name)
    }
}

/// A TOML value as a user would recognise it in a message.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

/// A key that would carry a secret value rather than the name of the
/// variable holding it.
pub(crate) fn looks_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if k.ends_with("_env") {
        return false;
    }
    const WORDS: [&str; 10] = [
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "credential",
        "auth",
        "hmac",
    ];
    WORDS.iter().any(|w| k.contains(w)) || k == "url" || (k.ends_with("_url") && k != "base_url")
}

/// What to write instead of a secret-looking `key`: the channel's own
/// `*_env` field with an example variable name (`examples`: field → name).
pub(crate) fn secret_hint(fields: &[&str], examples: &[(&str, &str)], key: &str) -> String {
    let k = key.to_ascii_lowercase();
    let field = if k == "url" || k.ends_with("_url") {
        "url_env".to_string()
    } else if let Some(f) = fields
        .iter()
        .find(|f| f.ends_with("_env") && k.contains(f.trim_end_matches("_env")))
    {
        f.to_string()
    } else {
        format!("{k}_env")
    };
    let example = examples
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, e)| e.to_string())
        .unwrap_or_else(|| field.trim_end_matches("_env").to_ascii_uppercase());
    let what = if k.contains("url") {
        "a webhook URL is a secret (anyone holding it can post)"
    } else {
        "this would put a secret in the job file"
    };
    format!(
        "{what}; put the value in an environment variable and name the variable instead: `{field} = \"{example}\"`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys_are_recognised() {
        for k in [
            "password",
            "smtp_password",
            "token",
            "secret",
            "url",
            "webhook_url",
            "api_key",
        ] {
            assert!(looks_secret(k), "{k}");
        }
        for k in [
            "password_env",
            "url_env",
            "token_env",
            "base_url",
            "to",
            "repo",
            "labels",
        ] {
            assert!(!looks_secret(k), "{k}");
        }
    }
}
