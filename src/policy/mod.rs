//! Policies as code: Rego evaluated in process with regorus (no OPA server).
//!
//! A policy folder holds `.rego` files (any depth) and optional `data.json` /
//! `data.yaml` / `data.yml` documents merged into `data`. Each Rego package
//! is one *policy*. It is evaluated against one of three inputs, each
//! documented with a JSON schema and an example under `policies/schema/`:
//!
//! - [`InputKind::Plan`]: terraform's plan JSON as is (`input.resource_changes[_]`),
//!   with the values terraform marks sensitive replaced by `"(sensitive)"`
//!   ([`mask_plan`]) so no policy message can carry them;
//! - [`InputKind::Cost`]: driftcost's Infracost-shaped cost JSON
//!   (`input.projects[_].breakdown.totalMonthlyCost`, `input.diffTotalMonthlyCost`);
//! - [`InputKind::Drift`]: the drift report JSON (sensitive values are never in it).
//!
//! Rules read by convention, as conftest and Infracost do: `deny`, `violation`
//! (and `deny_*`, `violation_*`) fail, `warn` (and `warn_*`) warn. A rule's
//! value is a set or array of messages, each a string or an object with
//! `msg`; an object with `"failed": false` is a passed check (Infracost's
//! `deny[out]` with `out := {"msg": …, "failed": bool}`), one with
//! `"approval": "team"` needs that team's approval. An undefined rule passes.
//! `test_*` rules are Rego unit tests ([`PolicySet::run_tests`], as `opa test`).
//!
//! Evaluation is bounded: each policy gets [`Limits::per_policy`] (regorus'
//! execution timer), and the whole evaluation runs on a thread the caller
//! stops waiting for after the sum plus a margin, so a policy that loops is
//! an error naming it, never a hung worker.
//!
//! Policies run on regorus' interpreter. Its bytecode VM (`rvm`, 0.14) was
//! tried and left out: it drops a runtime error inside a rule body (a
//! division by zero, a builtin's error) and reads the rule as undefined, so
//! a broken policy would pass instead of failing with its `file:line:col`,
//! and it refuses `object.get(data, …)` (the `data` root), which four of the
//! shipped examples use.
//!
//! This module only needs `serde_json` values: callers render their plan,
//! cost report or drift report to JSON and hand it here.

mod backtrace;
mod error;
mod eval;
mod load;
mod mask;
mod render;
mod result;
mod tests_runner;

pub use backtrace::no_library_backtraces;
pub use error::PolicyError;
pub use eval::Limits;
pub use load::PolicySet;
pub use mask::mask_plan;
pub use render::{render_json, render_markdown, render_table};
pub use result::{Evaluation, Finding, InputKind, Level};
pub use tests_runner::{TestOutcome, TestReport};

#[cfg(test)]
mod unit_tests;
