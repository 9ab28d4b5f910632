//! `aws_vpc_endpoint`: Interface endpoints bill hours per network interface
//! (one per subnet, at least one) and data processed in AWS's volume tiers
//! (first 1 PB, next 4 PB, over 5 PB); Gateway Load Balancer endpoints bill
//! hours and data processed at one rate; Gateway endpoints (S3, DynamoDB)
//! are free.
//!
//! Usage (Infracost's key): `monthly_data_processed_gb`; without it the line
//! is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let kind = attrs.str("vpc_endpoint_type").unwrap_or("Gateway");
    let filter = |usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonVPC", "VpcEndpoint", ctx.region, unit).attr("usagetype", usagetype)
    };
    let data = ctx.usage.decimal("monthly_data_processed_gb");
    let (hours, interfaces) = match kind.to_ascii_lowercase().as_str() {
        "gateway" => {
            p.note("gateway endpoints are free");
            return p;
        }
        "interface" => {
            p.push(
                ComponentSpec::usage(
                    "Data processed",
                    "GB",
                    data,
                    filter("VpcEndpoint-Bytes", "GB"),
                )
                .tier_names(&[
                    "Data processed (first 1PB)",
                    "Data processed (next 4PB)",
                    "Data processed (over 5PB)",
                ]),
            );
            let subnets = attrs.len("subnet_ids").max(1);
            ("VpcEndpoint-Hours", Decimal::from(subnets))
        }
        "gatewayloadbalancer" => {
            p.push(ComponentSpec::usage(
                "Data processed",
                "GB",
                data,
                filter("VpcEndpoint-GWLBE-Bytes", "GB"),
            ));
            ("VpcEndpoint-GWLBE-Hours", Decimal::ONE)
        }
        other => {
            p.note(format!(
                "endpoint type `{other}` is not priced by driftcost (Interface, GatewayLoadBalancer and Gateway are)"
            ));
            return p;
        }
    };
    p.push(ComponentSpec::hourly(
        format!("Endpoint ({kind})"),
        "hours",
        interfaces,
        filter(hours, "Hrs"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn interface_endpoint_hours_per_subnet() {
        let r = price(
            "aws_vpc_endpoint",
            json!({"vpc_endpoint_type": "Interface", "subnet_ids": ["a", "b"]}),
            "us-east-1",
            None,
        );
        // 2 interfaces × 730 h × $0.01 = $14.60.
        let h = component(&r, "Endpoint (Interface)");
        assert_eq!(h.monthly_quantity, Some(dec!(1460)));
        assert_eq!(h.monthly_cost, Some(dec!(14.6)));
        assert_eq!(
            component(&r, "Data processed (first 1PB)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn interface_data_in_tiers() {
        let usage = "version: 0.1\nresource_usage:\n  aws_vpc_endpoint.test:\n    monthly_data_processed_gb: 1000\n";
        let r = price(
            "aws_vpc_endpoint",
            json!({"vpc_endpoint_type": "Interface"}),
            "us-east-1",
            Some(usage),
        );
        // 1,000 GB × $0.01 = $10; 1 interface × 730 h × $0.01 = $7.30.
        assert_eq!(
            component(&r, "Data processed (first 1PB)").monthly_cost,
            Some(dec!(10))
        );
        assert_eq!(r.monthly_cost, Some(dec!(17.3)));
        let usage = "version: 0.1\nresource_usage:\n  aws_vpc_endpoint.test:\n    monthly_data_processed_gb: 7000000\n";
        let r = price(
            "aws_vpc_endpoint",
            json!({"vpc_endpoint_type": "Interface"}),
            "us-east-1",
            Some(usage),
        );
        // 1M GB × $0.01 = $10,000; 4M × $0.006 = $24,000; 2M × $0.004 = $8,000.
        assert_eq!(
            component(&r, "Data processed (first 1PB)").monthly_cost,
            Some(dec!(10000))
        );
        assert_eq!(
            component(&r, "Data processed (next 4PB)").monthly_cost,
            Some(dec!(24000))
        );
        assert_eq!(
            component(&r, "Data processed (over 5PB)").monthly_cost,
            Some(dec!(8000))
        );
    }

    #[test]
    fn gateway_load_balancer_and_gateway_endpoints() {
        let usage = "version: 0.1\nresource_usage:\n  aws_vpc_endpoint.test:\n    monthly_data_processed_gb: 100\n";
        let r = price(
            "aws_vpc_endpoint",
            json!({"vpc_endpoint_type": "GatewayLoadBalancer"}),
            "us-east-1",
            Some(usage),
        );
        // 730 h × $0.01 = $7.30; 100 GB × $0.0035 = $0.35.
        assert_eq!(
            component(&r, "Endpoint (GatewayLoadBalancer)").monthly_cost,
            Some(dec!(7.3))
        );
        assert_eq!(
            component(&r, "Data processed").monthly_cost,
            Some(dec!(0.35))
        );
        let r = price(
            "aws_vpc_endpoint",
            json!({"vpc_endpoint_type": "Gateway"}),
            "us-east-1",
            None,
        );
        assert!(r.cost_components.is_empty());
    }
}
