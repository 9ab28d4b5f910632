//! Test support: price one resource through the real engine and shipped tables.

use super::breakdown::ResourceCost;
use super::component::CostComponent;
use super::usage::UsageFile;
use super::{CostOptions, estimate};
use crate::plan::parse_plan;
use crate::pricing::PriceTable;
use serde_json::{Value, json};
use std::path::Path;

/// Prices `after` as a newly created `<resource_type>.test` in `region`, with an
/// optional usage file body (YAML, Infracost format; `resource_usage` keys use
/// the address `<resource_type>.test`).
pub(crate) fn price(
    resource_type: &str,
    after: Value,
    region: &str,
    usage_yaml: Option<&str>,
) -> ResourceCost {
    let address = format!("{resource_type}.test");
    let plan = json!({
        "format_version": "1.2",
        "resource_changes": [{
            "address": address, "mode": "managed", "type": resource_type, "name": "test",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": {}}
        }],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                "expressions": {"region": {"constant_value": region}}}},
            "root_module": {"resources": [{"address": address, "mode": "managed", "type": resource_type,
                "name": "test", "provider_config_key": "aws"}]}
        }
    });
    let plan =
        parse_plan(plan.to_string().as_bytes(), Path::new("test.json")).expect("test plan parses");
    let usage = usage_yaml
        .map(|y| UsageFile::parse(y, Path::new("usage.yml")).expect("test usage parses"))
        .unwrap_or_default();
    let opts = CostOptions {
        usage,
        ..CostOptions::default()
    };
    let mut project = estimate(&plan, PriceTable::embedded(), &opts);
    assert_eq!(
        project.breakdown.resources.len(),
        1,
        "{resource_type} was not priced: {:?}",
        project.summary
    );
    project.breakdown.resources.remove(0)
}

/// The component called `name` (subresource components as `sub: name`).
pub(crate) fn component<'a>(r: &'a ResourceCost, name: &str) -> &'a CostComponent {
    let all = r.all_components();
    let names: Vec<String> = all.iter().map(|(n, _)| n.clone()).collect();
    all.into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("no component {name:?} in {}; have {names:?}", r.name))
}
