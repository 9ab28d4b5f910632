//! `aws_eip`: since 2024-02-01 AWS bills every public IPv4 address it
//! provides, attached or idle, at one hourly rate ($0.005 per IP-hour in
//! every region), under the AmazonVPC usage types `PublicIPv4:InUseAddress`
//! and `PublicIPv4:IdleAddress`. Addresses from a BYOIP pool
//! (`public_ipv4_pool` other than `amazon`) or an Outposts customer-owned pool
//! are not charged.
//!
//! Defaults: an address with no `instance`, `network_interface` or
//! `association_id` (and no configuration reference to one) is priced as
//! idle; it may still be attached later by an `aws_eip_association`, which
//! costs the same.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs.str("customer_owned_ipv4_pool").is_some() {
        p.note("customer-owned IPv4 pool (Outposts): no public IPv4 charge");
        return p;
    }
    if let Some(pool) = attrs.str("public_ipv4_pool").filter(|p| *p != "amazon") {
        p.note(format!(
            "address from BYOIP pool `{pool}`: no public IPv4 charge"
        ));
        return p;
    }
    let in_use = ["instance", "network_interface", "association_id"]
        .iter()
        .any(|k| attrs.str(k).is_some())
        || ctx.referenced(&["instance"]).is_some()
        || ctx.referenced(&["network_interface"]).is_some();
    let (name, usagetype) = if in_use {
        ("Public IPv4 address (in use)", "PublicIPv4:InUseAddress")
    } else {
        ("Public IPv4 address (idle)", "PublicIPv4:IdleAddress")
    };
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonVPC", "VPC Public IPv4 Address", ctx.region, "Hrs")
            .attr("usagetype", usagetype),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn idle_and_attached_addresses_cost_the_same() {
        // 730 h × $0.005 = $3.65 either way.
        let idle = price("aws_eip", json!({"domain": "vpc"}), "eu-central-1", None);
        assert_eq!(
            component(&idle, "Public IPv4 address (idle)").monthly_cost,
            Some(dec!(3.65))
        );
        let attached = price(
            "aws_eip",
            json!({"domain": "vpc", "instance": "i-0abc"}),
            "ap-southeast-1",
            None,
        );
        assert_eq!(
            component(&attached, "Public IPv4 address (in use)").monthly_cost,
            Some(dec!(3.65))
        );
    }

    #[test]
    fn byoip_and_customer_owned_addresses_are_free() {
        let byoip = price(
            "aws_eip",
            json!({"public_ipv4_pool": "ipv4pool-ec2-012345"}),
            "us-east-1",
            None,
        );
        assert!(byoip.cost_components.is_empty());
        assert_eq!(byoip.monthly_cost, None);
        let coip = price(
            "aws_eip",
            json!({"customer_owned_ipv4_pool": "ipv4pool-coip-1"}),
            "us-east-1",
            None,
        );
        assert!(coip.cost_components.is_empty());
        let amazon = price(
            "aws_eip",
            json!({"public_ipv4_pool": "amazon"}),
            "us-east-1",
            None,
        );
        assert_eq!(amazon.monthly_cost, Some(dec!(3.65)));
    }
}
