//! `aws_nat_gateway`: an hourly charge while it exists, plus data processed.
//! A private NAT gateway is billed the same as a public one.
//! Usage: `monthly_data_processed_gb`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let filter = |usagetype: &str, unit| {
        PriceFilter::aws("AmazonEC2", "NAT Gateway", ctx.region, unit).attr("usagetype", usagetype)
    };
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "NAT gateway",
        "hours",
        Decimal::ONE,
        filter("NatGateway-Hours", "Hrs"),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        filter("NatGateway-Bytes", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    #[test]
    fn data_processed_is_usage_based_until_the_usage_file_says() {
        let r = price(
            "aws_nat_gateway",
            json!({"connectivity_type": "public"}),
            "us-east-1",
            None,
        );
        let data = component(&r, "Data processed");
        assert!(data.usage_based);
        assert_eq!(data.monthly_cost, None);
        assert_ne!(data.status, ComponentStatus::Priced);
    }
}
