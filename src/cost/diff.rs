//! The diff of two breakdowns: per resource and component, past against
//! future, and the totals.

use super::breakdown::{Breakdown, ResourceCost};
use super::component::{CostComponent, hourly_of};
use foldhash::HashMap;
use rust_decimal::Decimal;
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
pub(super) fn diff_totals(
    resources: Vec<ResourceCost>,
    past: &Breakdown,
    future: &Breakdown,
) -> Breakdown {
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

pub(super) fn sub(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some((a.unwrap_or_default() - b.unwrap_or_default()).normalize()),
    }
}

pub(super) fn diff_resource(
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

pub(super) fn diff_component(
    past: Option<&CostComponent>,
    future: Option<&CostComponent>,
) -> CostComponent {
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
