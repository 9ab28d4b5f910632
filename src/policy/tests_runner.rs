//! Rego unit tests, as `opa test` runs them: every `test_*` rule of every
//! package; a test passes when it is defined and not `false`. A test that
//! errors (or runs out of time) fails with the error, the others still run.

use super::eval::{Limits, eval_rule};
use super::load::PolicySet;
use regorus::Value;
use serde::Serialize;
use std::time::Instant;

/// One test's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct TestOutcome {
    pub package: String,
    pub name: String,
    pub passed: bool,
    /// Why it failed: undefined, false, or the error (with file:line:col).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub duration_ms: u128,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TestReport {
    pub tests: Vec<TestOutcome>,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.passed).count()
    }

    pub fn failed(&self) -> usize {
        self.tests.len() - self.passed()
    }

    /// `PASS`/`FAIL` per test, then the counts, as `opa test -v` reads.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for t in &self.tests {
            let verdict = if t.passed { "PASS" } else { "FAIL" };
            out.push_str(&format!(
                "{verdict} data.{}.{} ({} ms)",
                t.package, t.name, t.duration_ms
            ));
            if let Some(r) = &t.reason {
                out.push_str(&format!(": {r}"));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "{} tests: {} passed, {} failed",
            self.tests.len(),
            self.passed(),
            self.failed()
        ));
        out
    }
}

impl PolicySet {
    /// Runs every `test_*` rule (on the calling thread, each under the
    /// per-policy limit).
    pub fn run_tests(&self, limits: Limits) -> TestReport {
        let mut engine = self.engine.clone();
        engine.set_input(Value::new_object());
        let mut report = TestReport::default();
        for package in &self.packages {
            for name in &package.tests {
                let started = Instant::now();
                let result = eval_rule(
                    &mut engine,
                    package,
                    name,
                    limits.per_policy,
                    limits.per_policy,
                );
                let (passed, reason) = match result {
                    Ok(Value::Undefined) => {
                        (false, Some("undefined (a condition did not hold)".into()))
                    }
                    Ok(Value::Bool(false)) => (false, Some("false".into())),
                    Ok(_) => (true, None),
                    Err(e) => (false, Some(e.to_string())),
                };
                report.tests.push(TestOutcome {
                    package: package.name.clone(),
                    name: name.clone(),
                    passed,
                    reason,
                    duration_ms: started.elapsed().as_millis(),
                });
            }
        }
        report
    }

    /// How many `test_*` rules the set holds.
    pub fn test_count(&self) -> usize {
        self.packages.iter().map(|p| p.tests.len()).sum()
    }
}
