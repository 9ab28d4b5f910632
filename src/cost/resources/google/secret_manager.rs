//! Shared by `google_secret_manager_secret` and `_secret_version`: the number
//! of locations a secret is replicated to (each stores a copy of every
//! version) and the price filters of Secret Manager.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// User-managed replication's replica count; automatic replication counts as one.
pub(crate) fn replication_locations(secret: &Attrs) -> Decimal {
    let replicas = secret
        .block("replication")
        .and_then(|r| r.block("user_managed"))
        .map_or(0, |u| u.len("replicas"));
    Decimal::from(replicas.max(1))
}

pub(crate) fn secret_filter(
    region: &str,
    description: &'static str,
    unit: &'static str,
) -> PriceFilter {
    filter(
        "Secret Manager",
        "ApplicationServices",
        region,
        unit,
        "on_demand",
    )
    .attr("description", description)
}

/// Access operations per 10,000, from the usage file's `monthly_access_operations`.
pub(crate) fn access_operations(ctx: &Ctx) -> ComponentSpec {
    ComponentSpec::usage(
        "Access operations",
        "10K requests",
        ctx.usage
            .decimal("monthly_access_operations")
            .map(|n| n / dec!(10000)),
        secret_filter(ctx.region, "Secret access operations", "10K"),
    )
}
