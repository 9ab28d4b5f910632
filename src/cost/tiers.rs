//! Pricing one component: quantity × price over the table's tiers, with
//! checked arithmetic, and the tier labels shown for tiered prices.

use super::component::{
    ComponentSpec, ComponentStatus, CostComponent, HOURS_PER_MONTH, Quantity, hourly_of,
};
use crate::pricing::PriceFilter;
use crate::pricing::{PriceTable, Tier};
use rust_decimal::Decimal;
/// Largest monthly quantity priced (in the table's units): far beyond any
/// real bill, and small enough that quantity × price stays inside a decimal.
const MAX_QUANTITY: Decimal = rust_decimal_macros::dec!(100_000_000_000_000_000_000);

#[cfg(test)]
pub(super) fn price_component(spec: &ComponentSpec, table: &PriceTable) -> Vec<CostComponent> {
    let mut out = Vec::new();
    price_into(spec.clone(), table, &mut out, &mut Vec::new());
    out
}

/// [`price_component`] appending to `out`; takes the spec so its name and
/// filter move into the component instead of being copied.
pub(super) fn price_into(
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
        tier_names,
        beyond_free_tier,
        short_tier_labels,
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
    // With tier names, a line that is not split into tiers is the first tier's.
    let first_name = |name: String| tier_names.first().map_or(name, |n| n.to_string());
    let Some(tiers) = table.lookup(&filter) else {
        let mut c = base(first_name(name), filter);
        c.status = ComponentStatus::NoPriceFound;
        out.push(c);
        return;
    };
    let paid;
    let tiers = if beyond_free_tier {
        paid = without_free_tier(tiers);
        &paid[..]
    } else {
        tiers
    };
    let Some(qty) = monthly_qty else {
        let name = match tiers.first() {
            Some(t) if short_tier_labels => format!("{name} ({})", short_tier_label(t)),
            _ => first_name(name),
        };
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
    let named = |t: &Tier| {
        tiers
            .iter()
            .position(|x| std::ptr::eq(x, t))
            .and_then(|i| tier_names.get(i))
    };
    if used().nth(1).is_none() && beyond.is_none() && !short_tier_labels {
        let first = used().next().map(|(t, _)| t).or(tiers.first());
        let price = first.map(|t| t.price).unwrap_or_default();
        let name = first.and_then(named).map_or(name, |n| n.to_string());
        let mut c = base(name, filter);
        set_cost(&mut c, qty, price, mult, &quantity, too_large);
        out.push(c);
        return;
    }
    let tiered = tiers.len() > 1;
    for (t, q) in used() {
        let label = if let Some(n) = named(t) {
            n.to_string()
        } else if short_tier_labels {
            format!("{name} ({})", short_tier_label(t))
        } else if tiered {
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
        let label = if short_tier_labels {
            format!("{name} (over {})", short_figure(end))
        } else {
            format!("{name} (over {} {unit})", group_thousands(shown(end)))
        };
        let mut c = base(label, filter);
        c.monthly_quantity = Some(shown(rest));
        c.hourly_quantity = Some((shown(rest) / HOURS_PER_MONTH).round_dp(10).normalize());
        c.status = ComponentStatus::NoPriceFound;
        out.push(c);
    }
}

/// The tiers after a leading free (zero-price) tier, moved down to start at 0:
/// a 0–25 GB free tier then $0.25 beyond becomes $0.25 from the first GB.
fn without_free_tier(tiers: &[Tier]) -> Vec<Tier> {
    let free_end = tiers
        .iter()
        .filter(|t| t.start.is_zero() && t.price.is_zero())
        .find_map(|t| t.end);
    let Some(shift) = free_end else {
        return tiers.to_vec();
    };
    let paid: Vec<Tier> = tiers
        .iter()
        .filter(|t| !t.price.is_zero() && t.start >= shift)
        .map(|t| Tier {
            start: t.start - shift,
            end: t.end.map(|e| e - shift),
            price: t.price,
        })
        .collect();
    if paid.is_empty() {
        tiers.to_vec()
    } else {
        paid
    }
}

/// Where the last tier ends; `None` when a tier is open-ended (or there are none).
pub(super) fn end_of_last_tier(tiers: &[Tier]) -> Option<Decimal> {
    let mut last: Option<Decimal> = None;
    for t in tiers {
        let end = t.end?;
        last = Some(last.map_or(end, |l| l.max(end)));
    }
    last
}

pub(super) fn set_cost(
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

pub(super) fn tier_label(t: &Tier, mult: Decimal, unit: &str) -> String {
    let f = |d: Decimal| group_thousands((d / mult).normalize());
    match (t.start.is_zero(), t.end) {
        (true, Some(end)) => format!("first {} {unit}", f(end)),
        (false, Some(end)) => format!("next {} {unit}", f(end - t.start)),
        (_, None) => format!("over {} {unit}", f(t.start)),
    }
}

/// `6B`, `7.5B`, `1M`: a table quantity (not divided by the shown unit) as
/// Infracost writes tier bounds.
fn short_figure(d: Decimal) -> String {
    for (size, suffix) in [
        (Decimal::from(1_000_000_000u64), "B"),
        (Decimal::from(1_000_000u64), "M"),
        (Decimal::from(1_000u64), "K"),
    ] {
        if d >= size {
            return format!("{}{suffix}", (d / size).normalize());
        }
    }
    d.normalize().to_string()
}

/// `first 6B`, `next 9B`, `over 15B`: Infracost's tier names (Lambda
/// GB-seconds, Route 53 queries).
fn short_tier_label(t: &Tier) -> String {
    let f = short_figure;
    match (t.start.is_zero(), t.end) {
        (true, Some(end)) => format!("first {}", f(end)),
        (false, Some(end)) => format!("next {}", f(end - t.start)),
        (_, None) => format!("over {}", f(t.start)),
    }
}

pub(super) fn group_thousands(d: Decimal) -> String {
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
