//! Reading `driftcost cost breakdown --format json` in tests: run it on a
//! fixture plan (and usage file), find a resource or a component, read money.

use super::cli::{driftcost, fixture};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

/// A money string of the cost JSON (`"12.34"`) as a decimal.
pub fn money(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a money string: {v}")),
    )
    .unwrap()
}

/// `cost breakdown` of the fixture `plan` (with the fixture `usage` file) as
/// project `project` in `format`: its stdout and stderr; the exit must be 0.
pub fn breakdown(plan: &str, usage: Option<&str>, project: &str, format: &str) -> (String, String) {
    let plan = fixture(plan);
    let usage = usage.map(fixture);
    let mut args = vec!["cost", "breakdown", "--plan", plan.to_str().unwrap()];
    if let Some(usage) = &usage {
        args.extend(["--usage-file", usage.to_str().unwrap()]);
    }
    args.extend(["--project-name", project, "--format", format]);
    let (code, stdout, stderr) = driftcost(&args);
    assert_eq!(code, 0, "{stderr}");
    (stdout, stderr)
}

/// [`breakdown`] in JSON, parsed.
pub fn breakdown_json(plan: &str, usage: Option<&str>, project: &str) -> Value {
    serde_json::from_str(&breakdown(plan, usage, project, "json").0).unwrap()
}

/// The first project's resource named `address`.
pub fn resource<'a>(report: &'a Value, address: &str) -> &'a Value {
    report["projects"][0]["breakdown"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == address)
        .unwrap_or_else(|| panic!("{address} not priced"))
}

/// A resource's cost component named `name`.
pub fn component<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["costComponents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no component {name} in {r}"))
}
