//! `aws_vpn_connection`: Site-to-Site VPN connection hours; a connection that
//! ends on a transit gateway (`transit_gateway_id`) also bills the transit
//! gateway attachment and the data it processes.
//!
//! Usage (Infracost's key): `monthly_data_processed_gb` (transit gateway
//! data; usage-based without it).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "VPN connection",
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonVPC", "Cloud Connectivity", ctx.region, "Hrs")
            .attr("usagetype", "VPN-Usage-Hours:ipsec.1"),
    ));
    if attrs.str("transit_gateway_id").is_some() {
        super::transit_gateway::attachment(&mut p, ctx, "TransitGatewayVPN");
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn plain_connection_is_hours_only() {
        let r = price(
            "aws_vpn_connection",
            json!({"type": "ipsec.1"}),
            "us-east-1",
            None,
        );
        // 730 h × $0.05 = $36.50.
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(
            component(&r, "VPN connection").monthly_cost,
            Some(dec!(36.5))
        );
    }

    #[test]
    fn transit_gateway_connection_adds_attachment_and_data() {
        let usage = "version: 0.1\nresource_usage:\n  aws_vpn_connection.test:\n    monthly_data_processed_gb: 100\n";
        let r = price(
            "aws_vpn_connection",
            json!({"type": "ipsec.1", "transit_gateway_id": "tgw-1"}),
            "us-east-1",
            Some(usage),
        );
        // $36.50 + 730 h × $0.05 = $36.50 + 100 GB × $0.02 = $2.
        assert_eq!(
            component(&r, "Transit gateway attachment").monthly_cost,
            Some(dec!(36.5))
        );
        assert_eq!(component(&r, "Data processed").monthly_cost, Some(dec!(2)));
        assert_eq!(r.monthly_cost, Some(dec!(75)));
        let r = price(
            "aws_vpn_connection",
            json!({"transit_gateway_id": "tgw-1"}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "Data processed").status,
            ComponentStatus::UsageMissing
        );
    }
}
