//! Which price-list attributes identify a price, per (service, product family).
//!
//! Resource files build [`crate::cost::PriceFilter`]s with exactly these
//! attribute names, the shipped tables carry exactly these, and
//! `pricing import` keeps exactly these columns of the AWS Price List, so the
//! three always agree. Names are the AWS Price List's JSON attribute names;
//! `usagetype` has its region prefix (`USE2-`, `EUC1-`, …) removed.

pub struct Family {
    pub service: &'static str,
    pub product_family: &'static str,
    pub attributes: &'static [&'static str],
}

pub const FAMILIES: &[Family] = &[
    // --- network (nat gateway, load balancers, eip)
    Family {
        service: "AmazonEC2",
        product_family: "NAT Gateway",
        attributes: &["usagetype"],
    },
];

/// The family entry for a service and product family.
pub fn family(service: &str, product_family: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .find(|f| f.service == service && f.product_family == product_family)
}
