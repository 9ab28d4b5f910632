//! Turns a plan into past/future breakdowns and their diff. Pure: no I/O.
//! The resource files see a [`Ctx`](super::ctx::Ctx); components are
//! priced in [`tiers`](super::tiers) and diffed in [`diff`](super::diff).

use super::attrs::{Attrs, BadNumber, path_of, watch_numbers};
use super::breakdown::{
    Breakdown, CostInputError, ProjectCost, ProjectMetadata, ResourceCost, ResourceMetadata,
    Summary, count_unpriced,
};
use super::component::{ComponentSpec, ComponentStatus, Priced, hourly_of};
use super::ctx::*;
use super::diff::*;
use super::resources::{self, Coverage};
use super::tiers::*;
use crate::plan::{Mode, Plan, ResourceChange};
use crate::pricing::PriceTable;
use foldhash::{HashSet, HashSetExt};
use rust_decimal::Decimal;
use std::sync::OnceLock;
/// Prices every managed resource in the plan, before and after. One thread:
/// pricing is allocation-bound, and on two cores threads made the 10k-resource
/// bench slower (glibc arenas, frees across threads).
pub fn estimate(plan: &Plan, table: &PriceTable, opts: &CostOptions) -> ProjectCost {
    let by_address = OnceLock::new();
    let pricer = Pricer {
        plan,
        table,
        opts,
        by_address: &by_address,
    };
    let managed: Vec<&ResourceChange> = plan
        .resource_changes
        .iter()
        .filter(|rc| rc.mode == Mode::Managed)
        .collect();
    let outcomes = managed.iter().map(|rc| pricer.price(rc));
    let mut past = Vec::with_capacity(managed.len());
    let mut future = Vec::with_capacity(managed.len());
    let mut summary = Summary::default();
    let mut unsupported = Vec::new();
    // Each resource's diff is made as it is priced; the list is
    // ordered as `diff_breakdowns` orders it (resources with a future side in
    // plan order, then those only in the past), which holds while every
    // address names one resource (deposed objects repeat an address).
    let mut diff_future = Vec::with_capacity(managed.len());
    let mut diff_past_only = Vec::new();
    let mut addresses = HashSet::with_capacity(managed.len());
    let mut addresses_unique = true;
    let mut miss_index = foldhash::HashMap::default();
    for (rc, outcome) in managed.iter().zip(outcomes) {
        summary.total_detected_resources += 1;
        match outcome {
            Outcome::Unsupported => {
                summary.total_unsupported_resources += 1;
                *summary
                    .unsupported_resource_counts
                    .entry(rc.resource_type.clone())
                    .or_default() += 1;
                unsupported.push(rc.address.clone());
            }
            Outcome::Free => {
                summary.total_no_price_resources += 1;
                *summary
                    .no_price_resource_counts
                    .entry(rc.resource_type.clone())
                    .or_default() += 1;
            }
            Outcome::Priced(mut p) => {
                summary.total_supported_resources += 1;
                summary.input_errors.append(&mut p.errors);
                addresses_unique &= addresses.insert(rc.address.as_str());
                match (&p.future, p.diff) {
                    (Some(_), Some(d)) => diff_future.push(d),
                    (None, Some(d)) => diff_past_only.push(d),
                    (_, None) => {}
                }
                past.extend(p.past);
                if let Some(cost) = p.future {
                    if cost.metadata.region.as_ref().is_some_and(|r| r.is_guess()) {
                        summary.region_guessed_resources += 1;
                    }
                    summary.usage_based_components_without_usage += p.usage_missing;
                    for (resource, component, message) in p.price_misses {
                        summary.add_price_miss(&mut miss_index, resource, component, message);
                    }
                    future.push(cost);
                }
                if p.usage_based {
                    summary.total_usage_based_resources += 1;
                }
            }
        }
    }
    let past = breakdown(past, &mut summary.input_errors);
    let future = breakdown(future, &mut summary.input_errors);
    let diff = if addresses_unique {
        diff_future.append(&mut diff_past_only);
        diff_totals(diff_future, &past, &future)
    } else {
        diff_breakdowns(&past, &future)
    };
    let mut project = ProjectCost {
        name: opts.project_name.clone(),
        metadata: ProjectMetadata {
            path: None,
            terraform_version: plan.terraform_version.clone(),
            default_region: opts.default_region.clone(),
        },
        past_breakdown: past,
        breakdown: future,
        diff,
        summary,
        unsupported_resources: unsupported,
    };
    super::sensitive::Secrets::of_plan(plan).scrub_project(&mut project);
    project
}

/// Everything pricing one resource reads.
struct Pricer<'a, 'p> {
    plan: &'p Plan,
    table: &'a PriceTable,
    opts: &'a CostOptions,
    by_address: &'a OnceLock<AddressIndex<'p>>,
}

/// What one managed resource adds to the estimate; folded into the totals
/// in plan order.
enum Outcome {
    Unsupported,
    Free,
    /// Boxed: two resource costs and a diff are large to move around.
    Priced(Box<PricedResource>),
}

struct PricedResource {
    past: Option<ResourceCost>,
    future: Option<ResourceCost>,
    usage_based: bool,
    /// Usage-based components of the future side without usage.
    usage_missing: usize,
    /// Lookup misses of the future side.
    /// (resource, component, message) of each component without a price.
    price_misses: Vec<(String, String, String)>,
    /// `future` minus `past`, `None` when nothing changed.
    diff: Option<ResourceCost>,
    /// Numbers that cannot be right, from either side.
    errors: Vec<CostInputError>,
}

impl<'p> Pricer<'_, 'p> {
    fn price(&self, rc: &'p ResourceChange) -> Outcome {
        let price_fn = match resources::coverage(&rc.resource_type) {
            Coverage::Unsupported => return Outcome::Unsupported,
            Coverage::Free => return Outcome::Free,
            Coverage::Priced(price_fn) => price_fn,
        };
        let mut errors = Vec::new();
        let past = rc
            .change
            .before_value()
            .map(|v| self.price_side(rc, price_fn, true, v, &mut errors));
        let future = rc
            .change
            .after_value()
            .map(|v| self.price_side(rc, price_fn, false, v, &mut errors));
        let usage_based = past
            .iter()
            .chain(&future)
            .any(ResourceCost::has_usage_based);
        let mut usage_missing = 0;
        let mut price_misses = Vec::new();
        if let Some(cost) = future
            .as_ref()
            .filter(|c| c.any_component(&|c| c.status != ComponentStatus::Priced))
        {
            for (name, c) in cost.all_components() {
                match c.status {
                    ComponentStatus::UsageMissing => usage_missing += 1,
                    ComponentStatus::NoPriceFound => {
                        price_misses.push((rc.address.clone(), name, c.price_filter.miss_message()))
                    }
                    ComponentStatus::Priced => {}
                }
            }
        }
        let diff = diff_resource(past.as_ref(), future.as_ref());
        Outcome::Priced(Box::new(PricedResource {
            past,
            future,
            usage_based,
            usage_missing,
            price_misses,
            diff,
            errors,
        }))
    }

    fn price_side(
        &self,
        rc: &'p ResourceChange,
        price_fn: resources::PriceFn,
        past: bool,
        values: &serde_json::Value,
        errors: &mut Vec<CostInputError>,
    ) -> ResourceCost {
        let region = self
            .plan
            .region_of(rc, Some(values), &self.opts.default_region);
        let ctx = Ctx {
            region: &region.code,
            usage: self.opts.usage.for_resource(&rc.address, &rc.resource_type),
            address: &rc.address,
            resource: rc,
            plan: self.plan,
            by_address: self.by_address,
            past,
        };
        let (mut priced, bad) = watch_numbers(|| price_fn(&Attrs::new(values), &ctx));
        let side = if past { "before" } else { "after" };
        for (node, kind, value) in bad {
            let field = match path_of(values, node) {
                Some(path) => format!("change.{side}.{path}"),
                None => "an attribute of a resource it refers to".to_string(),
            };
            let address = rc.address.clone();
            let e = match kind {
                BadNumber::Negative => CostInputError::Negative {
                    address,
                    field,
                    value,
                },
                BadNumber::TooLarge => CostInputError::TooLarge {
                    address,
                    field,
                    value,
                },
            };
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
        for what in std::mem::take(&mut priced.too_large) {
            let e = CostInputError::UsageTooLarge {
                address: rc.address.clone(),
                what,
            };
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
        if region.is_guess() {
            priced.notes.push(format!(
                "region not found in the resource or its provider block; assumed {}",
                region.code
            ));
        }
        let mut too_large = Vec::new();
        let cost = build_resource(rc, priced, self.table, region, &mut too_large);
        for what in too_large {
            let e = CostInputError::UsageTooLarge {
                address: rc.address.clone(),
                what,
            };
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
        cost
    }
}

fn build_resource(
    rc: &ResourceChange,
    priced: Priced,
    table: &PriceTable,
    region: crate::plan::Region,
    too_large: &mut Vec<String>,
) -> ResourceCost {
    let Priced {
        components,
        subresources,
        nested,
        notes,
        too_large: _,
    } = priced;
    let price_all = |specs: Vec<ComponentSpec>, too_large: &mut Vec<String>| {
        let mut out = Vec::with_capacity(specs.len());
        for spec in specs {
            price_into(spec, table, &mut out, too_large);
        }
        out
    };
    let part = |name: String, cost_components: Vec<super::component::CostComponent>| ResourceCost {
        name,
        resource_type: String::new(),
        metadata: ResourceMetadata::default(),
        hourly_cost: None,
        monthly_cost: None,
        cost_components,
        subresources: Vec::new(),
    };
    let cost_components = price_all(components, too_large);
    let mut subs = Vec::with_capacity(subresources.len());
    for (name, specs) in subresources {
        let cost_components = price_all(specs, too_large);
        subs.push(part(name, cost_components));
    }
    for (parent, name, specs) in nested {
        let cost_components = price_all(specs, too_large);
        let child = with_totals(part(name, cost_components), too_large);
        match subs.iter_mut().find(|s| s.name == parent) {
            Some(s) => s.subresources.push(child),
            None => {
                let mut s = part(parent, Vec::new());
                s.subresources.push(child);
                subs.push(s);
            }
        }
    }
    let subs: Vec<ResourceCost> = subs
        .into_iter()
        .map(|s| with_totals(s, too_large))
        .collect();
    let subresources = subs;
    with_totals(
        ResourceCost {
            name: rc.address.clone(),
            resource_type: rc.resource_type.clone(),
            metadata: ResourceMetadata {
                region: Some(region),
                actions: rc.change.actions.clone(),
                notes,
            },
            hourly_cost: None,
            monthly_cost: None,
            cost_components,
            subresources,
        },
        too_large,
    )
}

/// Sets a resource's totals from its priced components and subresources;
/// `None` when nothing in it has a price (all usage-based or missing).
fn with_totals(mut r: ResourceCost, too_large: &mut Vec<String>) -> ResourceCost {
    let mut monthly: Option<Decimal> = None;
    let costs = r
        .cost_components
        .iter()
        .map(|c| c.monthly_cost)
        .chain(r.subresources.iter().map(|s| s.monthly_cost));
    for m in costs.flatten() {
        let sum = monthly.get_or_insert(Decimal::ZERO);
        match sum.checked_add(m) {
            Some(s) => *sum = s,
            None => {
                too_large.push(format!("the monthly cost of {}", r.name));
                break;
            }
        }
    }
    r.monthly_cost = monthly;
    r.hourly_cost = monthly.map(hourly_of);
    r
}

/// Prices one spec; a spec whose usage spans several price tiers becomes one
/// component per tier, as on the cloud's bill.
fn breakdown(resources: Vec<ResourceCost>, errors: &mut Vec<CostInputError>) -> Breakdown {
    let mut total = Decimal::ZERO;
    for r in &resources {
        if let Some(m) = r.monthly_cost {
            match total.checked_add(m) {
                Some(t) => total = t,
                None => {
                    errors.push(CostInputError::UsageTooLarge {
                        address: r.name.clone(),
                        what: "the plan's monthly total".into(),
                    });
                    break;
                }
            }
        }
    }
    Breakdown {
        unpriced_components: count_unpriced(&resources),
        resources,
        total_hourly_cost: hourly_of(total),
        total_monthly_cost: total.normalize(),
    }
}

/// Per-resource deltas; resources with no change in cost or components are left out.
/// Also used by `output::compare` when the past side comes from a previous report.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::PriceFilter;
    use rust_decimal_macros::dec;
    use std::path::Path;

    fn table() -> PriceTable {
        let csv = "cloud,service,product_family,region,attributes,purchase_option,unit,start_usage_amount,end_usage_amount,price_usd,effective_date,source\n\
            aws,S,F,r,usagetype=x,on_demand,GB,0,100,0.5,2025-01-01,t\n\
            aws,S,F,r,usagetype=x,on_demand,GB,100,300,0.25,2025-01-01,t\n";
        let mut t = PriceTable::default();
        t.add_csv(csv.as_bytes(), Path::new("t.csv")).unwrap();
        t
    }

    fn spec(q: Decimal) -> ComponentSpec {
        ComponentSpec::monthly(
            "Storage",
            "GB",
            q,
            PriceFilter::aws("S", "F", "r", "GB").attr("usagetype", "x"),
        )
    }

    #[test]
    fn usage_within_one_tier_is_one_component() {
        let c = price_component(&spec(dec!(40)), &table());
        assert_eq!(c.len(), 1);
        // 40 GB × 0.5 = 20
        assert_eq!(c[0].monthly_cost, Some(dec!(20)));
    }

    #[test]
    fn usage_across_tiers_splits_and_beyond_the_last_tier_has_no_price() {
        let c = price_component(&spec(dec!(350)), &table());
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Storage (first 100 GB)",
                "Storage (next 200 GB)",
                "Storage (over 300 GB)"
            ]
        );
        // 100 × 0.5 = 50; 200 × 0.25 = 50; 50 GB beyond the table: no price
        assert_eq!(c[0].monthly_cost, Some(dec!(50)));
        assert_eq!(c[1].monthly_cost, Some(dec!(50)));
        assert_eq!(c[2].status, ComponentStatus::NoPriceFound);
        assert_eq!(c[2].monthly_quantity, Some(dec!(50)));
        assert_eq!(c[2].monthly_cost, None);
    }

    #[test]
    fn price_miss_and_missing_usage_are_explicit() {
        let miss = ComponentSpec::hourly(
            "Instance",
            "hours",
            Decimal::ONE,
            PriceFilter::aws("S", "F", "nowhere", "Hrs"),
        );
        let c = price_component(&miss, &table());
        assert_eq!(c[0].status, ComponentStatus::NoPriceFound);
        assert_eq!(c[0].monthly_cost, None);
        let usage = ComponentSpec::usage(
            "Storage",
            "GB",
            None,
            PriceFilter::aws("S", "F", "r", "GB").attr("usagetype", "x"),
        );
        let c = price_component(&usage, &table());
        assert_eq!(c[0].status, ComponentStatus::UsageMissing);
        assert!(c[0].usage_based);
        assert_eq!((c[0].monthly_quantity, c[0].monthly_cost), (None, None));
    }

    const BIG: usize = 300;

    /// Creates, updates, deletes and free resources mixed.
    fn big_plan(deposed_twin: bool) -> Plan {
        let mut changes = Vec::new();
        for i in 0..BIG {
            let (ty, after) = match i % 4 {
                0 => (
                    "aws_instance",
                    serde_json::json!({"instance_type": "t3.micro", "availability_zone": "eu-west-1a"}),
                ),
                1 => ("aws_eip", serde_json::json!({"domain": "vpc"})),
                2 => ("aws_security_group", serde_json::json!({"name": "sg"})),
                _ => (
                    "aws_ebs_volume",
                    serde_json::json!({"size": i, "type": "gp3", "availability_zone": "us-east-1b"}),
                ),
            };
            let (actions, before, after) = match i % 3 {
                0 => (
                    serde_json::json!(["create"]),
                    serde_json::Value::Null,
                    after,
                ),
                1 => (
                    serde_json::json!(["delete"]),
                    after,
                    serde_json::Value::Null,
                ),
                _ => (
                    serde_json::json!(["update"]),
                    serde_json::json!({"instance_type": "m5.large", "size": 1}),
                    after,
                ),
            };
            changes.push(serde_json::json!({"address": format!("{ty}.r{i}"), "mode": "managed", "type": ty,
                "name": format!("r{i}"), "change": {"actions": actions, "before": before, "after": after}}));
        }
        if deposed_twin {
            let mut twin = changes[4].clone();
            twin["change"] = serde_json::json!({"actions": ["delete"], "before": {"instance_type": "c5.xlarge"}, "after": null});
            changes.push(twin);
        }
        let plan = serde_json::json!({"format_version": "1.2", "resource_changes": changes});
        crate::plan::parse_plan(plan.to_string().as_bytes(), Path::new("big.json")).unwrap()
    }

    /// Thousands of resources missing the same price make one summary entry
    /// per filter listing them all, not one entry (and message) each.
    #[test]
    fn price_misses_are_grouped_by_filter() {
        let changes: Vec<serde_json::Value> = (0..50)
            .map(|i| {
                let ty = if i % 2 == 0 { "aws_instance" } else { "aws_eip" };
                serde_json::json!({"address": format!("{ty}.r{i}"), "mode": "managed", "type": ty,
                    "name": format!("r{i}"), "change": {"actions": ["create"], "before": null,
                    "after": {"instance_type": "x9.huge", "availability_zone": "zz-north-9a", "domain": "vpc"}}})
            })
            .collect();
        let plan = serde_json::json!({"format_version": "1.2", "resource_changes": changes});
        let plan =
            crate::plan::parse_plan(plan.to_string().as_bytes(), Path::new("m.json")).unwrap();
        let p = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
        let misses = &p.summary.price_not_found;
        let messages: HashSet<&str> = misses.iter().map(|m| m.message.as_str()).collect();
        assert_eq!(messages.len(), misses.len(), "one entry per filter");
        let hours = misses
            .iter()
            .find(|m| m.message.contains("x9.huge"))
            .expect("instance hours have no price");
        assert_eq!(hours.resources.len(), 25);
        assert_eq!(hours.resources[0], "aws_instance.r0");
        // Every instance's root volume misses too (no zz-north-9 rows): one entry.
        let root = misses
            .iter()
            .filter(|m| m.component.starts_with("root_block_device"))
            .count();
        assert_eq!(root, 1);
    }

    fn names(b: &Breakdown) -> Vec<&str> {
        b.resources.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn breakdowns_keep_plan_order_and_per_resource_diffs_match_the_whole_diff() {
        for deposed_twin in [false, true] {
            let plan = big_plan(deposed_twin);
            let p = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
            let with = |side: fn(&crate::plan::Change) -> Option<&serde_json::Value>| {
                plan.resource_changes
                    .iter()
                    .filter(|rc| {
                        rc.resource_type != "aws_security_group" && side(&rc.change).is_some()
                    })
                    .map(|rc| rc.address.as_str())
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&p.breakdown), with(crate::plan::Change::after_value));
            assert_eq!(
                names(&p.past_breakdown),
                with(crate::plan::Change::before_value)
            );
            let whole = diff_breakdowns(&p.past_breakdown, &p.breakdown);
            assert_eq!(
                serde_json::to_value(&p.diff).unwrap(),
                serde_json::to_value(&whole).unwrap(),
                "deposed twin: {deposed_twin}"
            );
            assert!(!p.diff.resources.is_empty());
            assert_eq!(p.summary.total_no_price_resources, BIG / 4);
        }
    }
}
