//! Evaluating a policy set on one input: every convention rule of every
//! package, each package under a time limit, on a thread the caller stops
//! waiting for if the limit is not honoured. Packages are spread over one
//! thread per core; the input is converted once and shared by all of them.

use super::error::{PolicyError, locate};
use super::load::{Package, PolicySet};
use super::result::{Evaluation, Finding, InputKind, Level};
use regorus::Value;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

    /// [`evaluate`](Self::evaluate) on the calling thread and, when the
    /// machine has more than one core and the set more than one package,
    /// on that many scoped threads taking packages in order (each with its
    /// own copy of the prepared engine sharing the one input value). The
    /// result is the same as one package after the other: findings are
    /// sorted, and the error returned is the first in package order.
    pub(crate) fn evaluate_here(
        &self,
        input: Value,
        limits: Limits,
    ) -> Result<Evaluation, PolicyError> {
        self.evaluate_on(input, limits, workers(self.packages.len()))
    }

    /// [`evaluate_here`](Self::evaluate_here) on `workers` threads.
    fn evaluate_on(
        &self,
        input: Value,
        limits: Limits,
        workers: usize,
    ) -> Result<Evaluation, PolicyError> {
        let mut results: Vec<Option<Result<Vec<Finding>, PolicyError>>> =
            (0..self.packages.len()).map(|_| None).collect();
        if workers <= 1 {
            let mut engine = self.engine.clone();
            engine.set_input(input);
            for (i, package) in self.packages.iter().enumerate() {
                let result = eval_package(&mut engine, package, limits);
                let stop = result.is_err();
                results[i] = Some(result);
                if stop {
                    break;
                }
            }
        } else {
            let next = AtomicUsize::new(0);
            let failed = AtomicBool::new(false);
            let engines: Vec<regorus::Engine> = (0..workers)
                .map(|_| {
                    let mut engine = self.engine.clone();
                    engine.set_input(input.clone());
                    engine
                })
                .collect();
            let done = std::thread::scope(|scope| {
                let handles: Vec<_> = engines
                    .into_iter()
                    .map(|mut engine| {
                        let (next, failed) = (&next, &failed);
                        scope.spawn(move || {
                            let mut out = Vec::new();
                            // Packages are taken in order, so every package
                            // before a failed one has been started and ends:
                            // the first error in package order is known.
                            while !failed.load(Ordering::Relaxed) {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(package) = self.packages.get(i) else {
                                    break;
                                };
                                let result = eval_package(&mut engine, package, limits);
                                if result.is_err() {
                                    failed.store(true, Ordering::Relaxed);
                                }
                                out.push((i, result));
                            }
                            out
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join()).collect::<Vec<_>>()
            });
            for worker in done {
                let worker = worker.map_err(|_| PolicyError::Folder {
                    dir: self.dir.clone(),
                    reason: "an evaluation thread stopped unexpectedly".into(),
                })?;
                for (i, result) in worker {
                    results[i] = Some(result);
                }
            }
        }
        let mut eval = Evaluation::default();
        for result in results.into_iter().flatten() {
            eval.findings.extend(result?);
        }
        eval.sort();
        Ok(eval)
    }
}

/// Threads for `packages` policies: one per core, at most one per package.
fn workers(packages: usize) -> usize {
    std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(packages)
}

/// Every convention rule of one package, under its time limit.
fn eval_package(
    engine: &mut regorus::Engine,
    package: &Package,
    limits: Limits,
) -> Result<Vec<Finding>, PolicyError> {
    let started = Instant::now();
    let mut out = Vec::new();
    for rule in &package.rules {
        let left = limits.per_policy.saturating_sub(started.elapsed());
        let value = eval_rule(engine, package, rule, left, limits.per_policy)?;
        out.extend(findings(package, rule, &value)?);
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Packages `p0`..`p{n}`: each fails on the resources whose index is a
    /// multiple of its number and warns on deletes; `p3` also has a helper
    /// rule read by two convention rules.
    fn set(n: usize, extra: &[(&str, &str)]) -> (tempfile::TempDir, PolicySet) {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..n {
            let text = format!(
                r#"package p{i}
import rego.v1
deny contains msg if {{
  some r in input.resource_changes
  r.index % {m} == 0
  msg := sprintf("p{i}: %s", [r.address])
}}
warn_delete contains {{"msg": r.address}} if {{
  some r in input.resource_changes
  "delete" in r.change.actions
}}
"#,
                m = i + 1
            );
            std::fs::write(dir.path().join(format!("p{i}.rego")), text).unwrap();
        }
        for (name, text) in extra {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let set = PolicySet::load(dir.path()).unwrap();
        (dir, set)
    }

    fn plan(resources: usize) -> Value {
        let changes: Vec<_> = (0..resources)
            .map(|i| {
                json!({"address": format!("aws_instance.r{i}"), "index": i,
                    "change": {"actions": if i % 3 == 0 { json!(["delete"]) } else { json!(["create"]) }}})
            })
            .collect();
        to_rego(InputKind::Plan, &json!({"resource_changes": changes})).unwrap()
    }

    #[test]
    fn threads_give_the_findings_of_one_package_after_the_other() {
        let (_dir, set) = set(7, &[]);
        let input = plan(40);
        let one = set
            .evaluate_on(input.clone(), Limits::default(), 1)
            .unwrap();
        assert!(one.findings.len() > 40, "{:?}", one.findings.len());
        for workers in [2, 3, 7, 16] {
            let many = set
                .evaluate_on(input.clone(), Limits::default(), workers)
                .unwrap();
            assert_eq!(many, one, "{workers} threads");
        }
    }

    #[test]
    fn the_error_reported_is_the_first_in_package_order_on_any_thread_count() {
        let bad = |pkg: &str| {
            format!(
                "package {pkg}\nimport rego.v1\ndeny contains msg if {{\n  x := input.a / input.b\n  msg := sprintf(\"%v\", [x])\n}}\n"
            )
        };
        let (b1, b2) = (bad("q1_bad"), bad("q2_bad"));
        let (_dir, set) = set(5, &[("q1.rego", &b1), ("q2.rego", &b2)]);
        let input = to_rego(
            InputKind::Plan,
            &json!({"a": 1, "b": 0, "resource_changes": []}),
        )
        .unwrap();
        for workers in [1, 2, 3, 7] {
            for _ in 0..5 {
                let err = set
                    .evaluate_on(input.clone(), Limits::default(), workers)
                    .unwrap_err()
                    .to_string();
                assert!(
                    err.contains("policy q1_bad (rule deny)"),
                    "{workers}: {err}"
                );
                assert!(err.contains("q1.rego:4:"), "{workers}: {err}");
            }
        }
    }

    #[test]
    fn a_looping_policy_among_others_is_stopped_on_its_thread() {
        let looping = r#"package p_loop
import rego.v1
deny contains "too many" if {
  n := count([1 | some a in numbers.range(1, 100000); some b in numbers.range(1, 100000)])
  n > 0
}
"#;
        let (_dir, set) = set(4, &[("loop.rego", looping)]);
        let started = Instant::now();
        let err = set
            .evaluate_on(
                plan(10),
                Limits {
                    per_policy: Duration::from_millis(300),
                },
                2,
            )
            .unwrap_err();
        assert!(matches!(err, PolicyError::Timeout { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("policy p_loop (rule deny) was stopped"),
            "{err}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn one_loaded_set_evaluates_each_input_on_its_own() {
        // The engine is analysed once at load and copied per evaluation:
        // each evaluation must see its own input, not the first one's.
        let (_dir, set) = set(2, &[]);
        let limits = Limits::default();
        let small = set
            .evaluate(
                InputKind::Plan,
                &json!({"resource_changes": [
                    {"address": "a.one", "index": 2, "change": {"actions": ["create"]}}
                ]}),
                limits,
            )
            .unwrap();
        let other = set
            .evaluate(
                InputKind::Plan,
                &json!({"resource_changes": [
                    {"address": "a.two", "index": 4, "change": {"actions": ["delete"]}}
                ]}),
                limits,
            )
            .unwrap();
        let msgs = |e: &Evaluation| -> Vec<String> {
            e.findings
                .iter()
                .filter(|f| !f.msg.is_empty())
                .map(|f| f.msg.clone())
                .collect()
        };
        assert_eq!(msgs(&small), vec!["p0: a.one", "p1: a.one"]);
        assert_eq!(
            msgs(&other),
            vec!["p0: a.two", "p1: a.two", "a.two", "a.two"]
        );
    }
}
