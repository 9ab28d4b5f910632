//! Evaluating a policy set on one input: every convention rule of every
//! package, each package under a time limit, on a thread the caller stops
//! waiting for if the limit is not honoured.

use super::error::{PolicyError, locate};
use super::load::{Package, PolicySet};
use super::result::{Evaluation, Finding, InputKind, Level};
use regorus::Value;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

/// Bounds on evaluation time.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time one policy (package) may take over all its rules.
    pub per_policy: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_policy: Duration::from_secs(5),
        }
    }
}

/// Work units between two looks at the clock: small enough to stop a loop
/// within microseconds of its limit, large enough not to slow evaluation.
const CHECK_INTERVAL: u32 = 64;

/// Margin past the sum of the limits before the waiting side gives up on
/// the evaluating thread (which regorus' own timer should have stopped).
const BACKSTOP_MARGIN: Duration = Duration::from_secs(2);

impl PolicySet {
    /// Evaluates every policy of the set on `input` (the document of `kind`).
    /// Runs on its own thread; when it does not come back within the limits
    /// plus a margin, the error names the set and the thread is left to end
    /// on its own (it holds nothing of the caller's).
    pub fn evaluate(
        &self,
        kind: InputKind,
        input: &serde_json::Value,
        limits: Limits,
    ) -> Result<Evaluation, PolicyError> {
        let input = to_rego(kind, input)?;
        let set = self.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let budget = limits
            .per_policy
            .saturating_mul(u32::try_from(set.packages.len().max(1)).unwrap_or(u32::MAX))
            .saturating_add(BACKSTOP_MARGIN);
        std::thread::Builder::new()
            .name("policy-eval".into())
            .spawn(move || {
                let _ = tx.send(set.evaluate_here(input, limits));
            })
            .map_err(|e| PolicyError::Folder {
                dir: self.dir.clone(),
                reason: format!("cannot start the evaluation thread: {e}"),
            })?;
        match rx.recv_timeout(budget) {
            Ok(result) => result,
            Err(_) => Err(PolicyError::Timeout {
                package: self.package_names().join(", "),
                rule: "(all)".into(),
                limit: budget,
                files: self.dir.display().to_string(),
            }),
        }
    }

    /// [`evaluate`](Self::evaluate) on the calling thread (the timer still
    /// bounds each policy).
    pub(crate) fn evaluate_here(
        &self,
        input: Value,
        limits: Limits,
    ) -> Result<Evaluation, PolicyError> {
        let mut engine = self.engine.clone();
        engine.set_input(input);
        let mut eval = Evaluation::default();
        for package in &self.packages {
            let started = Instant::now();
            for rule in &package.rules {
                let left = limits.per_policy.saturating_sub(started.elapsed());
                let value = eval_rule(&mut engine, package, rule, left, limits.per_policy)?;
                eval.findings.extend(findings(package, rule, &value)?);
            }
        }
        eval.sort();
        Ok(eval)
    }
}

/// The input as a regorus value (documents are JSON objects).
pub(crate) fn to_rego(kind: InputKind, input: &serde_json::Value) -> Result<Value, PolicyError> {
    use serde::Deserialize;
    Value::deserialize(input).map_err(|e| PolicyError::Input {
        what: kind.as_str(),
        message: e.to_string(),
    })
}

pub(crate) fn eval_rule(
    engine: &mut regorus::Engine,
    package: &Package,
    rule: &str,
    left: Duration,
    limit: Duration,
) -> Result<Value, PolicyError> {
    let timeout = || PolicyError::Timeout {
        package: package.name.clone(),
        rule: rule.to_string(),
        limit,
        files: package.files.join(", "),
    };
    if left.is_zero() {
        return Err(timeout());
    }
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit: left,
        check_interval: NonZeroU32::new(CHECK_INTERVAL).unwrap_or(NonZeroU32::MIN),
    });
    let path = format!("data.{}.{rule}", package.name);
    engine.eval_rule(path).map_err(|e| {
        if e.chain().any(|c| {
            matches!(
                c.downcast_ref::<regorus::LimitError>(),
                Some(regorus::LimitError::TimeLimitExceeded { .. })
            )
        }) || format!("{e:#}").contains("time limit")
        {
            return timeout();
        }
        let (location, message, snippet) = locate(&format!("{e:#}"), &package.files.join(", "));
        PolicyError::Runtime {
            package: package.name.clone(),
            rule: rule.to_string(),
            location,
            message,
            snippet,
        }
    })
}

/// The findings of one rule's value (see the module docs for the shapes).
fn findings(package: &Package, rule: &str, value: &Value) -> Result<Vec<Finding>, PolicyError> {
    let base = if rule == "warn" || rule.starts_with("warn_") {
        Level::Warn
    } else {
        Level::Fail
    };
    let make = |level: Level, msg: String, approval: Option<String>| Finding {
        policy: package.name.clone(),
        rule: rule.to_string(),
        level,
        msg,
        approval,
        file: package.files.join(", "),
    };
    let shape = |found: &str| PolicyError::Shape {
        package: package.name.clone(),
        rule: rule.to_string(),
        found: found.to_string(),
    };
    let elements: Vec<&Value> = match value {
        Value::Undefined | Value::Null | Value::Bool(false) => Vec::new(),
        Value::Bool(true) => {
            return Ok(vec![make(
                base,
                format!("{}.{rule} is true", package.name),
                None,
            )]);
        }
        Value::String(_) => vec![value],
        Value::Set(s) => s.iter().collect(),
        Value::Array(a) => a.iter().collect(),
        Value::Object(o) if o.contains_key(&Value::from("msg")) => vec![value],
        // a partial object rule (`deny[key] := msg`): its values are the messages
        Value::Object(o) => o.values().collect(),
        Value::Number(_) => return Err(shape("number")),
    };
    let mut out = Vec::new();
    for element in elements {
        out.push(match element {
            Value::String(s) => make(base, s.to_string(), None),
            Value::Object(o) => {
                let get = |k: &str| o.get(&Value::from(k));
                let msg = match get("msg") {
                    Some(Value::String(s)) => s.to_string(),
                    Some(other) => json_text(other),
                    None => json_text(element),
                };
                let approval = match get("approval") {
                    Some(Value::String(s)) if !s.is_empty() => Some(s.to_string()),
                    _ => None,
                };
                match (get("failed"), approval) {
                    (Some(Value::Bool(false)), _) => make(Level::Pass, msg, None),
                    (_, Some(team)) => make(Level::NeedsApproval, msg, Some(team)),
                    _ => make(base, msg, None),
                }
            }
            other => make(base, json_text(other), None),
        });
    }
    if out.is_empty() {
        out.push(make(Level::Pass, String::new(), None));
    }
    Ok(out)
}

fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "(a value that is not JSON)".into())
}
