//! Cost parity with Infracost on AWS, measured the way issue 12 measures it:
//! a corpus of cases, each a plan, the usage file Infracost's own test used,
//! and the components Infracost printed for them (its golden file), compared
//! component by component on unit, monthly quantity and monthly cost (±1%).
//!
//! Each case is a folder `tests/fixtures/parity/<case>/` holding
//! - `plan.json`: the plan as `terraform show -json` shows the case's `.tf`;
//! - `usage.yml`: the case's usage file, as Infracost's test has it;
//! - `expected.json`: `{"source": URL, "components": [{"resource", "name",
//!   "unit", "monthlyQuantity", "monthlyCost"}]}`, read off the golden. A
//!   component of a subresource is named `sub: name` (`root_block_device:
//!   Storage (general purpose SSD, gp2)`); a usage-based component without
//!   usage has `null` quantity and cost. A component we knowingly do not
//!   match carries `"knownGap": "why"`: it counts against the percentage and
//!   the test fails once it does match, so the note cannot go stale.
//!
//! The test prints the match percentage per case, per cloud (by the case
//! folder's prefix: `aws_`, `azurerm_`, `google_`) and overall, so the next
//! person can measure (`cargo test --test it cost_parity_corpus -- --nocapture`),
//! and asserts that every other component matches.

use crate::support::cli::{driftcost, fixture};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::str::FromStr;

/// One component as we show it: unit, monthly quantity, monthly cost.
type Shown = (String, Option<Decimal>, Option<Decimal>);

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .ok(),
        _ => None,
    }
}

/// Every component of `resource` under `prefix` (`sub: name` for subresources).
fn collect(
    resource: &Value,
    address: &str,
    prefix: &str,
    out: &mut BTreeMap<(String, String), Shown>,
) {
    for c in resource["costComponents"].as_array().into_iter().flatten() {
        let name = format!("{prefix}{}", c["name"].as_str().unwrap_or_default());
        let shown = (
            c["unit"].as_str().unwrap_or_default().to_string(),
            decimal(&c["monthlyQuantity"]),
            decimal(&c["monthlyCost"]),
        );
        out.insert((address.to_string(), name), shown);
    }
    for sub in resource["subresources"].as_array().into_iter().flatten() {
        let prefix = format!("{prefix}{}: ", sub["name"].as_str().unwrap_or_default());
        collect(sub, address, &prefix, out);
    }
}

/// Within 1% of `expected`, or within `floor` of it (the golden rounds what it
/// prints: quantities to 4 decimals, costs to the cent).
fn close(actual: Option<Decimal>, expected: Option<Decimal>, floor: Decimal) -> bool {
    match (actual, expected) {
        (None, None) => true,
        (Some(a), Some(e)) => {
            let tolerance = (e.abs() / Decimal::from(100)).max(floor);
            (a - e).abs() <= tolerance
        }
        _ => false,
    }
}

/// Why `expected` does not match what we showed, or `None` when it does.
fn difference(expected: &Value, ours: Option<&Shown>) -> Option<String> {
    let Some((unit, quantity, cost)) = ours else {
        return Some("component not shown".into());
    };
    let want_unit = expected["unit"].as_str().unwrap_or_default();
    let want_quantity = decimal(&expected["monthlyQuantity"]);
    let want_cost = decimal(&expected["monthlyCost"]);
    let mut why = Vec::new();
    if unit != want_unit {
        why.push(format!("unit {unit:?}, Infracost {want_unit:?}"));
    }
    if !close(*quantity, want_quantity, Decimal::new(1, 4)) {
        why.push(format!(
            "quantity {quantity:?}, Infracost {want_quantity:?}"
        ));
    }
    if !close(*cost, want_cost, Decimal::new(5, 3)) {
        why.push(format!("cost {cost:?}, Infracost {want_cost:?}"));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

struct CaseResult {
    name: String,
    matched: usize,
    total: usize,
    /// Components that differ without a `knownGap` note.
    unexpected: Vec<String>,
    /// Components noted as a known gap that match now.
    stale_gaps: Vec<String>,
}

fn run_case(dir: &std::path::Path) -> CaseResult {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .unwrap_or_else(|e| panic!("{name}/expected.json: {e}"));
    let plan = dir.join("plan.json");
    let usage = dir.join("usage.yml");
    let mut args = vec!["cost", "breakdown", "--plan", plan.to_str().unwrap()];
    if usage.exists() {
        args.extend(["--usage-file", usage.to_str().unwrap()]);
    }
    args.extend(["--format", "json"]);
    let (code, stdout, stderr) = driftcost(&args);
    assert!(code == 0 || code == 2, "{name}: exit {code}\n{stderr}");
    let out: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{name}: {e}\n{stdout}"));
    let mut ours = BTreeMap::new();
    for project in out["projects"].as_array().into_iter().flatten() {
        for r in project["breakdown"]["resources"]
            .as_array()
            .into_iter()
            .flatten()
        {
            collect(r, r["name"].as_str().unwrap_or_default(), "", &mut ours);
        }
    }
    let components = expected["components"].as_array().expect("components");
    assert!(!components.is_empty(), "{name}: no expected components");
    let mut result = CaseResult {
        name: name.clone(),
        matched: 0,
        total: components.len(),
        unexpected: Vec::new(),
        stale_gaps: Vec::new(),
    };
    for c in components {
        let key = (
            c["resource"].as_str().unwrap_or_default().to_string(),
            c["name"].as_str().unwrap_or_default().to_string(),
        );
        let label = format!("{} / {}", key.0, key.1);
        match (difference(c, ours.get(&key)), c.get("knownGap")) {
            (None, None) => result.matched += 1,
            (None, Some(_)) => {
                result.matched += 1;
                result.stale_gaps.push(label);
            }
            (Some(_), Some(_)) => {}
            (Some(why), None) => result.unexpected.push(format!("{label}: {why}")),
        }
    }
    result
}

/// The cloud a case belongs to, by its folder's prefix (`aws_`, `azurerm_`,
/// `google_`); anything else is counted as "other".
fn cloud_of(case: &str) -> &'static str {
    [
        ("aws_", "aws"),
        ("azurerm_", "azure"),
        ("google_", "google"),
    ]
    .iter()
    .find(|(prefix, _)| case.starts_with(prefix))
    .map_or("other", |(_, cloud)| cloud)
}

fn percent(matched: usize, total: usize) -> Decimal {
    (Decimal::from(matched * 100) / Decimal::from(total.max(1))).round_dp(1)
}

#[test]
fn cases_match_infracost_goldens_component_by_component() {
    let root = fixture("parity");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases under {}", root.display());
    let results: Vec<CaseResult> = dirs.iter().map(|d| run_case(d)).collect();
    let (mut matched, mut total) = (0, 0);
    let mut per_cloud: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    println!("cost parity with Infracost, by component:");
    for r in &results {
        println!(
            "  {:<40} {:>4}/{:<4} {:>5}%",
            r.name,
            r.matched,
            r.total,
            percent(r.matched, r.total)
        );
        let cloud = per_cloud.entry(cloud_of(&r.name)).or_default();
        cloud.0 += r.matched;
        cloud.1 += r.total;
        matched += r.matched;
        total += r.total;
    }
    for (cloud, (m, t)) in &per_cloud {
        println!(
            "  {:<40} {:>4}/{:<4} {:>5}%",
            format!("ALL {cloud}"),
            m,
            t,
            percent(*m, *t)
        );
    }
    println!(
        "  {:<40} {:>4}/{:<4} {:>5}%",
        "ALL",
        matched,
        total,
        percent(matched, total)
    );
    let failures: Vec<String> = results
        .iter()
        .flat_map(|r| {
            r.unexpected
                .iter()
                .map(move |u| format!("{}: {u}", r.name))
                .chain(r.stale_gaps.iter().map(move |s| {
                    format!("{}: {s}: matches now, remove its knownGap note", r.name)
                }))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
