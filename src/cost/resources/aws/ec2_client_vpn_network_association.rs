//! `aws_ec2_client_vpn_network_association`: each subnet associated with a
//! Client VPN endpoint bills endpoint-association hours.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Endpoint association",
        "hours",
        Decimal::ONE,
        PriceFilter::aws("AmazonVPC", "Cloud Connectivity", ctx.region, "Hrs")
            .attr("usagetype", "ClientVPN-EndpointHours"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn one_association_all_month() {
        let r = price(
            "aws_ec2_client_vpn_network_association",
            json!({}),
            "us-east-1",
            None,
        );
        // 730 h × $0.10 = $73.
        assert_eq!(
            component(&r, "Endpoint association").monthly_cost,
            Some(dec!(73))
        );
    }
}
