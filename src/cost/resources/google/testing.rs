//! Test support for Google types that read other resources of the plan (a
//! snapshot's source disk, a secret version's secret): prices a whole plan
//! through the real engine and shipped tables.

use crate::cost::{CostOptions, ResourceCost, UsageFile, estimate};
use crate::plan::parse_plan;
use crate::pricing::PriceTable;
use serde_json::{Value, json};
use std::path::Path;

/// Prices every resource of `resources` (`(address, after)`, created, in
/// us-central1) where `references` lists `(from address, attribute path, to
/// address)` configuration references, and returns the resource at `address`.
pub(crate) fn price_in_plan(
    resources: &[(&str, Value)],
    references: &[(&str, &[&str], &str)],
    usage_yaml: Option<&str>,
    address: &str,
) -> ResourceCost {
    let split = |a: &str| {
        let (t, n) = a.split_once('.').expect("address is type.name");
        (t.to_string(), n.to_string())
    };
    let changes: Vec<Value> = resources
        .iter()
        .map(|(a, after)| {
            let (t, n) = split(a);
            json!({"address": a, "mode": "managed", "type": t, "name": n,
                   "provider_name": "registry.terraform.io/hashicorp/google",
                   "change": {"actions": ["create"], "before": null, "after": after}})
        })
        .collect();
    let config: Vec<Value> = resources
        .iter()
        .map(|(a, _)| {
            let (t, n) = split(a);
            let mut expressions = json!({});
            for (_, path, to) in references.iter().filter(|(from, _, _)| from == a) {
                // Nested blocks: `a.b.c` → {"a": [{"b": [{"c": refs}]}]}.
                let mut value = json!({"references": [format!("{to}.id"), to.to_string()]});
                for step in path[1..].iter().rev() {
                    value = json!([{ *step: value }]);
                }
                expressions[path[0]] = value;
            }
            json!({"address": a, "mode": "managed", "type": t, "name": n,
                   "provider_config_key": "google", "expressions": expressions})
        })
        .collect();
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"google": {"name": "google",
                "full_name": "registry.terraform.io/hashicorp/google",
                "expressions": {"region": {"constant_value": "us-central1"}}}},
            "root_module": {"resources": config}
        }
    });
    let plan = parse_plan(plan.to_string().as_bytes(), Path::new("t.json")).expect("plan parses");
    let usage = usage_yaml
        .map(|y| UsageFile::parse(y, Path::new("usage.yml")).expect("usage parses"))
        .unwrap_or_default();
    let opts = CostOptions {
        usage,
        ..CostOptions::default()
    };
    estimate(&plan, PriceTable::embedded(), &opts)
        .breakdown
        .resources
        .into_iter()
        .find(|r| r.name == address)
        .unwrap_or_else(|| panic!("{address} not priced"))
}
