//! `aws_ec2_client_vpn_endpoint`: one connection-hour for every hour of the
//! month, as Infracost prices the endpoint (subnet associations are priced
//! by `aws_ec2_client_vpn_network_association`).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Connection",
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonVPC", "Cloud Connectivity", ctx.region, "Hrs")
            .attr("usagetype", "ClientVPN-ConnectionHours"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn one_connection_all_month() {
        let r = price("aws_ec2_client_vpn_endpoint", json!({}), "us-east-1", None);
        // 730 h × $0.05 = $36.50.
        let c = component(&r, "Connection");
        assert_eq!(c.monthly_quantity, Some(dec!(730)));
        assert_eq!(c.monthly_cost, Some(dec!(36.5)));
    }
}
