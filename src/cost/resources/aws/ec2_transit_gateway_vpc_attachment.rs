//! `aws_ec2_transit_gateway_vpc_attachment`: attachment hours and data
//! processed through the transit gateway.
//!
//! Usage (Infracost's key): `monthly_data_processed_gb`; without it the data
//! line is usage-based.

use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    super::transit_gateway::attachment(&mut p, ctx, "TransitGatewayVPC");
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn attachment_hours_and_data() {
        let t = "aws_ec2_transit_gateway_vpc_attachment";
        let r = price(t, json!({"transit_gateway_id": "tgw-1"}), "us-east-1", None);
        // 730 h × $0.05 = $36.50.
        assert_eq!(
            component(&r, "Transit gateway attachment").monthly_cost,
            Some(dec!(36.5))
        );
        assert_eq!(
            component(&r, "Data processed").status,
            ComponentStatus::UsageMissing
        );
        let usage = format!(
            "version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_data_processed_gb: 100\n"
        );
        let r = price(t, json!({}), "us-east-1", Some(&usage));
        // 100 GB × $0.02 = $2.
        assert_eq!(component(&r, "Data processed").monthly_cost, Some(dec!(2)));
    }
}
