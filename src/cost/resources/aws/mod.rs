//! AWS resource types. Attribute names are the AWS provider's; price filter
//! attributes are the AWS Price List's (with `usagetype` stripped of its region
//! prefix, e.g. `NatGateway-Hours`).

use super::PriceFn;

pub(crate) mod free;
mod nat_gateway;

/// Priced AWS resource types (keep in step with `price_fn`).
pub(crate) const SUPPORTED: &[&str] = &["aws_nat_gateway"];

pub(crate) fn price_fn(resource_type: &str) -> Option<PriceFn> {
    Some(match resource_type {
        "aws_nat_gateway" => nat_gateway::price,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_supported_type_has_a_price_fn() {
        for t in super::SUPPORTED {
            assert!(super::price_fn(t).is_some(), "{t} listed but not wired");
        }
    }
}
