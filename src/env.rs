//! Where credentials and secrets are read: the process environment (the
//! normal case), or a fixed set of variables, so one worker can serve
//! workspaces and teams that run with different credentials, and tests need
//! not mutate the process environment. Backends (`BackendEnv`) and the
//! notifier (`notify::Env`) read through the same type.

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
