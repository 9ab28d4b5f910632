//! Turns a plan into past/future breakdowns and their diff. Pure: no I/O.

use super::attrs::{Attrs, BadNumber, path_of, watch_numbers};
use super::breakdown::{
    Breakdown, CostInputError, PriceMiss, ProjectCost, ProjectMetadata, ResourceCost,
    ResourceMetadata, Summary, count_unpriced,
};
use super::component::{
    ComponentSpec, ComponentStatus, CostComponent, HOURS_PER_MONTH, Priced, Quantity,
};
use super::price_filter::PriceFilter;
use super::resources::{self, Coverage};
use super::usage::{Usage, UsageFile};
use crate::plan::{Mode, Plan, ResourceChange, without_index as without_index_of};
use crate::pricing::{PriceTable, Tier};
use foldhash::{HashMap, HashSet, HashSetExt};
use rust_decimal::Decimal;
use std::sync::OnceLock;

/// Largest monthly quantity priced (in the table's units): far beyond any
/// real bill, and small enough that quantity × price stays inside a decimal.
const MAX_QUANTITY: Decimal = rust_decimal_macros::dec!(100_000_000_000_000_000_000);

/// Region used when neither the resource nor its provider block names one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Settings for one estimate.
#[derive(Debug, Clone)]
pub struct CostOptions {
    pub project_name: String,
    pub default_region: String,
    pub usage: UsageFile,
}

impl Default for CostOptions {
    fn default() -> Self {
        CostOptions {
            project_name: "main".into(),
            default_region: DEFAULT_REGION.into(),
            usage: UsageFile::default(),
        }
    }
}

/// What a resource file sees besides the resource's own attributes.
pub struct Ctx<'c, 'p> {
    pub region: &'c str,
    pub usage: Usage<'c>,
    pub address: &'c str,
    resource: &'p ResourceChange,
    plan: &'p Plan,
    by_address: &'c OnceLock<AddressIndex<'p>>,
    /// Whether the `before` side is being priced (references then read `before` too).
    past: bool,
}

struct AddressIndex<'a> {
    exact: HashMap<&'a str, &'a ResourceChange>,
    without_index: HashMap<&'a str, &'a ResourceChange>,
}

impl<'p> Ctx<'_, 'p> {
    /// The attributes of the resource that this resource's configuration
    /// expression at `path` refers to (an autoscaling group's
    /// `["launch_template", "id"]` gives the launch template), from the same
    /// side of the plan being priced.
    pub fn referenced(&self, path: &[&str]) -> Option<Attrs<'p>> {
        let plan = self.plan;
        let cfg = plan.configuration.as_ref()?;
        let rc = self.resource;
        let rcfg = cfg.resource(
            rc.module_address.as_deref(),
            &rc.resource_type,
            &rc.name,
            rc.mode == Mode::Data,
        )?;
        let index = self.by_address.get_or_init(|| AddressIndex::new(plan));
        let prefix = rc
            .module_address
            .as_deref()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        for reference in rcfg.references(path) {
            let parts: Vec<&str> = reference.split('.').collect();
            let take = if parts.first() == Some(&"data") { 3 } else { 2 };
            if parts.len() < take {
                continue;
            }
            let base = format!("{prefix}{}", parts[..take].join("."));
            let found = index
                .exact
                .get(base.as_str())
                .copied()
                .or_else(|| index.without_index.get(without_index_of(&base)).copied());
            if let Some(found) = found {
                let side = if self.past {
                    found.change.before_value()
                } else {
                    found.change.after_value()
                };
                if let Some(v) = side
                    .or_else(|| found.change.after_value())
                    .or_else(|| found.change.before_value())
                {
                    return Some(Attrs::new(v));
                }
            }
        }
        None
    }
}

impl<'p> Ctx<'_, 'p> {
    /// The `aws_ebs_volume` of this plan that bills a disk this resource also
    /// lists (an instance's `ebs_block_device`): the volume whose `id` is
    /// `volume_id`, or the one an `aws_volume_attachment` attaches at
    /// `device_name` to this resource (by id, or by reference in the
    /// configuration when ids are not known yet). The volume's own resource
    /// prices it, so the caller leaves the block out instead of billing it twice.
    pub fn volume_priced_elsewhere(
        &self,
        volume_id: Option<&str>,
        device_name: Option<&str>,
        own_id: Option<&str>,
    ) -> Option<&'p str> {
        let plan = self.plan;
        let managed = || {
            plan.resource_changes
                .iter()
                .filter(|rc| rc.mode == Mode::Managed)
        };
        let side = |rc: &'p ResourceChange| {
            if self.past {
                rc.change.before_value().or(rc.change.after_value())
            } else {
                rc.change.after_value().or(rc.change.before_value())
            }
        };
        let text = |rc: &'p ResourceChange, key: &str| -> Option<&'p str> {
            side(rc)?.get(key)?.as_str().filter(|s| !s.is_empty())
        };
        let volume_with_id = |id: &str| {
            managed()
                .filter(|rc| rc.resource_type == "aws_ebs_volume")
                .find(|rc| {
                    [rc.change.before_value(), rc.change.after_value()]
                        .into_iter()
                        .flatten()
                        .any(|v| v.get("id").and_then(|i| i.as_str()) == Some(id))
                })
                .map(|rc| rc.address.as_str())
        };
        if let Some(found) = volume_id.and_then(volume_with_id) {
            return Some(found);
        }
        let device_name = device_name?;
        let cfg = plan.configuration.as_ref();
        let prefix = |rc: &ResourceChange| {
            rc.module_address
                .as_deref()
                .map(|m| format!("{m}."))
                .unwrap_or_default()
        };
        let refers = |att: &'p ResourceChange, attr: &str| -> Vec<String> {
            cfg.and_then(|c| {
                c.resource(
                    att.module_address.as_deref(),
                    &att.resource_type,
                    &att.name,
                    false,
                )
            })
            .map(|r| {
                r.references(&[attr])
                    .into_iter()
                    .filter_map(|reference| {
                        let parts: Vec<&str> = reference.split('.').collect();
                        (parts.len() >= 2)
                            .then(|| format!("{}{}.{}", prefix(att), parts[0], parts[1]))
                    })
                    .collect()
            })
            .unwrap_or_default()
        };
        let own_base = without_index_of(self.address);
        for att in managed().filter(|rc| rc.resource_type == "aws_volume_attachment") {
            if text(att, "device_name") != Some(device_name) {
                continue;
            }
            let same_instance = match (own_id, text(att, "instance_id")) {
                (Some(own), Some(theirs)) => own == theirs,
                _ => refers(att, "instance_id").iter().any(|r| r == own_base),
            };
            if !same_instance {
                continue;
            }
            if let Some(found) = text(att, "volume_id").and_then(volume_with_id) {
                return Some(found);
            }
            for reference in refers(att, "volume_id") {
                if let Some(v) = managed()
                    .filter(|rc| rc.resource_type == "aws_ebs_volume")
                    .find(|rc| without_index_of(&rc.address) == reference)
                {
                    return Some(v.address.as_str());
                }
            }
        }
        None
    }
}

impl<'a> AddressIndex<'a> {
    fn new(plan: &'a Plan) -> Self {
        let mut exact = HashMap::default();
        let mut without_index = HashMap::default();
        for rc in &plan.resource_changes {
            exact.insert(rc.address.as_str(), rc);
            without_index
                .entry(without_index_of(&rc.address))
                .or_insert(rc);
        }
        AddressIndex {
            exact,
            without_index,
        }
    }
}

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
                    summary.price_not_found.extend(p.price_misses);
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
    price_misses: Vec<PriceMiss>,
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
                    ComponentStatus::NoPriceFound => price_misses.push(PriceMiss {
                        resource: rc.address.clone(),
                        component: name,
                        message: format!("no price found for {}", c.price_filter),
                    }),
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
    let cost_components = price_all(components, too_large);
    let mut subs = Vec::with_capacity(subresources.len());
    for (name, specs) in subresources {
        let cost_components = price_all(specs, too_large);
        subs.push(with_totals(
            ResourceCost {
                name,
                resource_type: String::new(),
                metadata: ResourceMetadata::default(),
                hourly_cost: None,
                monthly_cost: None,
                cost_components,
                subresources: Vec::new(),
            },
            too_large,
        ));
    }
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

fn hourly_of(monthly: Decimal) -> Decimal {
    (monthly / HOURS_PER_MONTH).round_dp(10).normalize()
}

/// Prices one spec; a spec whose usage spans several price tiers becomes one
/// component per tier, as on the cloud's bill.
#[cfg(test)]
fn price_component(spec: &ComponentSpec, table: &PriceTable) -> Vec<CostComponent> {
    let mut out = Vec::new();
    price_into(spec.clone(), table, &mut out, &mut Vec::new());
    out
}

/// [`price_component`] appending to `out`; takes the spec so its name and
/// filter move into the component instead of being copied.
fn price_into(
    spec: ComponentSpec,
    table: &PriceTable,
    out: &mut Vec<CostComponent>,
    too_large: &mut Vec<String>,
) {
    let ComponentSpec {
        name,
        unit,
        unit_multiplier: mult,
        mut quantity,
        filter,
    } = spec;
    // Quantities beyond any bill are refused before any arithmetic, so
    // nothing below can overflow a decimal (checked where a price multiplies).
    let fits = |q: &Decimal| q.abs() <= MAX_QUANTITY;
    let unfit = match &quantity {
        Quantity::Hourly(h) => {
            (!fits(&(h.checked_mul(HOURS_PER_MONTH).unwrap_or(Decimal::MAX)))).then_some(*h)
        }
        Quantity::Monthly(m) | Quantity::Usage(Some(m)) => (!fits(m)).then_some(*m),
        Quantity::Usage(None) => None,
    };
    if let Some(q) = unfit {
        too_large.push(format!("{name}: {q} {unit}"));
        quantity = match quantity {
            Quantity::Usage(_) => Quantity::Usage(None),
            _ => Quantity::Monthly(Decimal::ZERO),
        };
    }
    let (monthly_qty, usage_based) = match quantity {
        Quantity::Hourly(h) => (Some(h * HOURS_PER_MONTH), false),
        Quantity::Monthly(m) => (Some(m), false),
        Quantity::Usage(u) => (u, true),
    };
    let shown = |q: Decimal| (q / mult).normalize();
    let base = |name: String, price_filter: PriceFilter| CostComponent {
        name,
        unit: unit.to_string(),
        hourly_quantity: monthly_qty.map(|q| match quantity {
            Quantity::Hourly(h) => shown(h),
            _ => (shown(q) / HOURS_PER_MONTH).round_dp(10).normalize(),
        }),
        monthly_quantity: monthly_qty.map(shown),
        price: None,
        hourly_cost: None,
        monthly_cost: None,
        usage_based,
        status: ComponentStatus::Priced,
        price_filter,
    };
    let Some(tiers) = table.lookup(&filter) else {
        let mut c = base(name, filter);
        c.status = ComponentStatus::NoPriceFound;
        out.push(c);
        return;
    };
    let Some(qty) = monthly_qty else {
        let mut c = base(name, filter);
        c.status = ComponentStatus::UsageMissing;
        c.price = tiers.first().map(|t| (t.price * mult).normalize());
        out.push(c);
        return;
    };
    let used = || {
        tiers.iter().filter_map(move |t| {
            let upper = t.end.map_or(qty, |e| qty.min(e));
            let q = upper - t.start;
            (q > Decimal::ZERO).then_some((t, q))
        })
    };
    let beyond = end_of_last_tier(tiers).filter(|&end| qty > end);
    if used().nth(1).is_none() && beyond.is_none() {
        let price = used()
            .next()
            .map(|(t, _)| t.price)
            .or(tiers.first().map(|t| t.price))
            .unwrap_or_default();
        let mut c = base(name, filter);
        set_cost(&mut c, qty, price, mult, &quantity, too_large);
        out.push(c);
        return;
    }
    let tiered = tiers.len() > 1;
    for (t, q) in used() {
        let label = if tiered {
            format!("{name} ({})", tier_label(t, mult, unit))
        } else {
            name.clone()
        };
        let mut c = base(label, filter.clone());
        c.monthly_quantity = Some(shown(q));
        c.hourly_quantity = Some((shown(q) / HOURS_PER_MONTH).round_dp(10).normalize());
        set_cost(&mut c, q, t.price, mult, &Quantity::Monthly(q), too_large);
        out.push(c);
    }
    // Usage past the end of the last tier the table knows has no price: it
    // is shown as such, never dropped.
    if let Some(end) = beyond {
        let rest = qty - end;
        let label = format!("{name} (over {} {unit})", group_thousands(shown(end)));
        let mut c = base(label, filter);
        c.monthly_quantity = Some(shown(rest));
        c.hourly_quantity = Some((shown(rest) / HOURS_PER_MONTH).round_dp(10).normalize());
        c.status = ComponentStatus::NoPriceFound;
        out.push(c);
    }
}

/// Where the last tier ends; `None` when a tier is open-ended (or there are none).
fn end_of_last_tier(tiers: &[Tier]) -> Option<Decimal> {
    let mut last: Option<Decimal> = None;
    for t in tiers {
        let end = t.end?;
        last = Some(last.map_or(end, |l| l.max(end)));
    }
    last
}

fn set_cost(
    c: &mut CostComponent,
    qty: Decimal,
    price: Decimal,
    mult: Decimal,
    quantity: &Quantity,
    too_large: &mut Vec<String>,
) {
    let (Some(monthly), Some(shown_price)) = (qty.checked_mul(price), price.checked_mul(mult))
    else {
        too_large.push(format!("{}: {qty} × {price}", c.name));
        c.status = ComponentStatus::NoPriceFound;
        return;
    };
    c.price = Some(shown_price.normalize());
    c.monthly_cost = Some(monthly.normalize());
    c.hourly_cost = Some(match quantity {
        Quantity::Hourly(h) => h.checked_mul(price).unwrap_or(Decimal::ZERO).normalize(),
        _ => hourly_of(monthly),
    });
}

fn tier_label(t: &Tier, mult: Decimal, unit: &str) -> String {
    let f = |d: Decimal| group_thousands((d / mult).normalize());
    match (t.start.is_zero(), t.end) {
        (true, Some(end)) => format!("first {} {unit}", f(end)),
        (false, Some(end)) => format!("next {} {unit}", f(end - t.start)),
        (_, None) => format!("over {} {unit}", f(t.start)),
    }
}

fn group_thousands(d: Decimal) -> String {
    let s = d.to_string();
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

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
pub(crate) fn diff_breakdowns(past: &Breakdown, future: &Breakdown) -> Breakdown {
    // Hash maps: only looked up, and sorting every address was a tenth of
    // costing a large plan. Collecting keeps the last entry of a repeated
    // name, as the sorted maps did.
    let past_by: HashMap<&str, &ResourceCost> = past
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let future_by: HashMap<&str, &ResourceCost> = future
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let mut names: Vec<&str> = future.resources.iter().map(|r| r.name.as_str()).collect();
    names.extend(
        past.resources
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| !future_by.contains_key(n)),
    );
    let resources: Vec<ResourceCost> = names
        .into_iter()
        .filter_map(|n| diff_resource(past_by.get(n).copied(), future_by.get(n).copied()))
        .collect();
    diff_totals(resources, past, future)
}

/// The diff breakdown of per-resource deltas, with the totals' delta.
/// Its unpriced components are those of the changed resources, from the
/// side after the plan (the side before for a destroyed resource).
fn diff_totals(resources: Vec<ResourceCost>, past: &Breakdown, future: &Breakdown) -> Breakdown {
    let total = future.total_monthly_cost - past.total_monthly_cost;
    let future_by: HashMap<&str, &ResourceCost> = future
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let past_by: HashMap<&str, &ResourceCost> = past
        .resources
        .iter()
        .map(|r| (r.name.as_str(), r))
        .collect();
    let unpriced_components = resources
        .iter()
        .filter_map(|d| {
            future_by
                .get(d.name.as_str())
                .or_else(|| past_by.get(d.name.as_str()))
        })
        .map(|r| r.unpriced_components())
        .sum();
    Breakdown {
        resources,
        total_hourly_cost: hourly_of(total),
        total_monthly_cost: total.normalize(),
        unpriced_components,
    }
}

fn sub(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some((a.unwrap_or_default() - b.unwrap_or_default()).normalize()),
    }
}

fn diff_resource(
    past: Option<&ResourceCost>,
    future: Option<&ResourceCost>,
) -> Option<ResourceCost> {
    let template = future.or(past)?;
    let empty = Vec::new();
    let past_components = past.map_or(&empty, |r| &r.cost_components);
    let future_components = future.map_or(&empty, |r| &r.cost_components);
    let mut components = Vec::new();
    for fc in future_components {
        let pc = past_components.iter().find(|c| c.name == fc.name);
        components.push(diff_component(pc, Some(fc)));
    }
    for pc in past_components
        .iter()
        .filter(|pc| !future_components.iter().any(|f| f.name == pc.name))
    {
        components.push(diff_component(Some(pc), None));
    }
    components.retain(|c| {
        c.monthly_cost.is_some_and(|m| !m.is_zero())
            || c.monthly_quantity.is_some_and(|q| !q.is_zero())
    });
    let empty_subs = Vec::new();
    let past_subs = past.map_or(&empty_subs, |r| &r.subresources);
    let future_subs = future.map_or(&empty_subs, |r| &r.subresources);
    let mut subresources: Vec<ResourceCost> = future_subs
        .iter()
        .filter_map(|f| diff_resource(past_subs.iter().find(|p| p.name == f.name), Some(f)))
        .collect();
    subresources.extend(
        past_subs
            .iter()
            .filter(|p| !future_subs.iter().any(|f| f.name == p.name))
            .filter_map(|p| diff_resource(Some(p), None)),
    );
    let monthly = sub(
        future.and_then(|r| r.monthly_cost),
        past.and_then(|r| r.monthly_cost),
    );
    let changed = past.is_none()
        || future.is_none()
        || monthly.is_some_and(|m| !m.is_zero())
        || !components.is_empty()
        || !subresources.is_empty();
    if !changed {
        return None;
    }
    Some(ResourceCost {
        name: template.name.clone(),
        resource_type: template.resource_type.clone(),
        metadata: template.metadata.clone(),
        hourly_cost: monthly.map(hourly_of),
        monthly_cost: monthly,
        cost_components: components,
        subresources,
    })
}

fn diff_component(past: Option<&CostComponent>, future: Option<&CostComponent>) -> CostComponent {
    let template = future.or(past).expect("one side exists");
    CostComponent {
        name: template.name.clone(),
        unit: template.unit.clone(),
        hourly_quantity: sub(
            future.and_then(|c| c.hourly_quantity),
            past.and_then(|c| c.hourly_quantity),
        ),
        monthly_quantity: sub(
            future.and_then(|c| c.monthly_quantity),
            past.and_then(|c| c.monthly_quantity),
        ),
        price: template.price,
        hourly_cost: sub(
            future.and_then(|c| c.hourly_cost),
            past.and_then(|c| c.hourly_cost),
        ),
        monthly_cost: sub(
            future.and_then(|c| c.monthly_cost),
            past.and_then(|c| c.monthly_cost),
        ),
        usage_based: template.usage_based,
        status: template.status,
        price_filter: template.price_filter.clone(),
    }
}

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
