//! `aws_nat_gateway`: an hourly charge while it exists, plus data processed.
//! A private NAT gateway is billed the same as a public one.
//!
//! Defaults: none besides the usage file; without
//! `monthly_data_processed_gb` the data processed line is shown as usage-based.
//! The public IPv4 address of a public NAT gateway is billed on its
//! `aws_eip`, not here.

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
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_nat_gateway.test:\n    monthly_data_processed_gb: 100\n";

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
        assert_eq!(data.status, ComponentStatus::UsageMissing);
        // 730 h × $0.045 = $32.85; the usage line adds nothing.
        assert_eq!(r.monthly_cost, Some(dec!(32.85)));
    }

    #[test]
    fn hours_and_data_in_us_east_1() {
        let r = price("aws_nat_gateway", json!({}), "us-east-1", Some(USAGE));
        // 730 h × $0.045 = $32.85; 100 GB × $0.045 = $4.50; total $37.35.
        assert_eq!(component(&r, "NAT gateway").monthly_cost, Some(dec!(32.85)));
        assert_eq!(
            component(&r, "Data processed").monthly_cost,
            Some(dec!(4.5))
        );
        assert_eq!(r.monthly_cost, Some(dec!(37.35)));
    }

    #[test]
    fn tokyo_uses_its_own_rate() {
        let r = price(
            "aws_nat_gateway",
            json!({"connectivity_type": "private"}),
            "ap-northeast-1",
            Some(USAGE),
        );
        // 730 h × $0.062 = $45.26; 100 GB × $0.062 = $6.20; total $51.46.
        assert_eq!(r.monthly_cost, Some(dec!(51.46)));
    }
}
