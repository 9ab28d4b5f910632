//! Which resource types driftcost prices, which are free, and which it does not know.
//!
//! One file per resource type under `<cloud>/`, each exposing
//! `pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced`.

use super::attrs::Attrs;
use super::component::Priced;
use super::ctx::Ctx;

pub(crate) mod aws;
pub(crate) mod azure;
pub(crate) mod google;

/// The signature every resource file implements.
pub(crate) type PriceFn = fn(&Attrs, &Ctx) -> Priced;

pub(crate) enum Coverage {
    Priced(PriceFn),
    /// Billed at nothing by the cloud (IAM, VPC, security groups, …).
    Free,
    /// Not known to driftcost: listed with a count, never priced at $0.
    Unsupported,
}

pub(crate) fn coverage(resource_type: &str) -> Coverage {
    if let Some(f) = price_fn(resource_type) {
        return Coverage::Priced(f);
    }
    if aws::free::is_free(resource_type)
        || google::is_free(resource_type)
        || azure::is_free(resource_type)
    {
        return Coverage::Free;
    }
    Coverage::Unsupported
}

/// Every priced resource type, for docs and tests.
pub fn supported_types() -> Vec<&'static str> {
    let mut all = aws::SUPPORTED.to_vec();
    all.extend(google::SUPPORTED);
    all.extend(azure::SUPPORTED);
    all
}

/// The price function of a priced type, whatever its cloud.
pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    aws::price_fn(resource_type)
        .or_else(|| google::price_fn(resource_type))
        .or_else(|| azure::price_fn(resource_type))
}

/// The usage-file keys a priced type reads, whatever its cloud.
pub(crate) fn usage_keys(resource_type: &str) -> &'static [&'static str] {
    match resource_type.split('_').next() {
        Some("google") => google::usage_keys(resource_type),
        Some("azurerm") => azure::usage_keys(resource_type),
        _ => aws::usage_keys(resource_type),
    }
}
