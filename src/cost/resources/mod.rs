//! Which resource types driftcost prices, which are free, and which it does not know.
//!
//! One file per resource type under `<cloud>/`, each exposing
//! `pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced`.

use super::attrs::Attrs;
use super::component::Priced;
use super::ctx::Ctx;

pub(crate) mod aws;

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
    if let Some(f) = aws::price_fn(resource_type) {
        return Coverage::Priced(f);
    }
    if aws::free::is_free(resource_type) {
        return Coverage::Free;
    }
    Coverage::Unsupported
}

/// Every priced resource type, for docs and tests.
pub fn supported_types() -> Vec<&'static str> {
    aws::SUPPORTED.to_vec()
}
