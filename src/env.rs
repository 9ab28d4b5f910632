//! Where credentials and secrets are read: the process environment (the
//! normal case), or a fixed set of variables, so one worker can serve
//! workspaces and teams that run with different credentials, and tests need
//! not mutate the process environment. Backends (`BackendEnv`) and the
//! notifier (`notify::Env`) read through the same type. Also the rules for
//! what may be given where a variable's *name* belongs ([`env_name_problem`]).

use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Env {
    fixed: Option<HashMap<String, String>>,
}

impl Env {
    /// Variables from the process environment (and, for the clouds, their
    /// standard credential chains).
    pub fn process() -> Env {
        Env { fixed: None }
    }

    /// Only these variables (same names as in the process environment:
    /// `AWS_ACCESS_KEY_ID`, `ARM_ACCESS_KEY`, …); nothing is read from the process.
    pub fn fixed<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Env {
        Env {
            fixed: Some(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
        }
    }

    /// One variable, non-empty, from wherever this env reads.
    pub fn var(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// True when nothing is read from the process (the clouds' own credential
    /// chains must then be skipped too).
    pub(crate) fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}

/// Prefixes of well-known credential formats that fit an environment
/// variable name's characters (`[A-Za-z0-9_]`).
const TOKEN_PREFIXES: &[&str] = &[
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat_",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "xoxb_",
    "xoxp_",
];

/// Whether `value`, given where a variable's *name* belongs, looks like a
/// credential instead: a known token format, an AWS access key id, or a long
/// run of mixed letters and digits no one names a variable with.
pub fn value_looks_like_token(value: &str) -> bool {
    let v = value.trim();
    if TOKEN_PREFIXES
        .iter()
        .any(|p| v.len() > p.len() + 8 && v.starts_with(p))
    {
        return true;
    }
    let upper_alnum = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && upper_alnum(v)
        && v.chars().any(|c| c.is_ascii_digit())
    {
        return true;
    }
    v.split(['_', '-', '.']).any(|seg| {
        seg.len() >= 16
            && seg.chars().any(|c| c.is_ascii_digit())
            && seg.chars().any(|c| c.is_ascii_alphabetic())
    })
}

/// Why `n` is not a plain environment-variable name, if it is not.
pub fn env_name_problem(n: &str) -> Option<String> {
    let ok = !n.is_empty()
        && !n.starts_with(|c: char| c.is_ascii_digit())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Some(format!(
            "`{n}` is not an environment variable name; give the variable's name (e.g. \"SMTP_PASSWORD\"), never its value"
        ));
    }
    token_problem(n)
}

/// A token written where a variable's name belongs; the message shows only
/// its first characters.
pub fn token_problem(n: &str) -> Option<String> {
    value_looks_like_token(n).then(|| {
        let start: String = n.chars().take(4).collect();
        format!("`{start}…` looks like a token, not the name of an environment variable; put the token in a variable of the worker's environment and give that variable's name here (e.g. \"GITHUB_TOKEN\")")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_values_where_names_belong() {
        for v in [
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxb_1234567890_abcdefghij",
            "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
            "MY_TOKEN_9f86d081884c7d659a2feaa0c55ad015",
        ] {
            assert!(value_looks_like_token(v), "{v}");
        }
        for v in [
            "GITHUB_TOKEN",
            "SMTP_PASSWORD",
            "DRIFTCOST_GITHUB_WEBHOOK_SECRET",
            "SLACK_INFRA_WEBHOOK_URL",
            "AWS_PROFILE",
            "TF_VAR_db_password",
            "AZURE_STORAGE_ACCOUNT_KEY2",
            "VERYLONGCOMPANYNAMEPLATFORM_TOKEN",
        ] {
            assert!(!value_looks_like_token(v), "{v}");
        }
    }
}
