//! `aws_cloudwatch_dashboard`: a flat monthly fee per dashboard. CloudWatch
//! dashboards are billed account-wide, not per region, so the price is looked
//! up in the `global` region.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, _ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::monthly(
        "Dashboard",
        "months",
        Decimal::ONE,
        PriceFilter::aws("AmazonCloudWatch", "Dashboard", "global", "Dashboards")
            .attr("usagetype", "DashboardsUsageHour"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn one_dashboard_is_one_month_in_any_region() {
        for region in ["us-east-1", "eu-central-1"] {
            let r = price(
                "aws_cloudwatch_dashboard",
                json!({"dashboard_name": "d"}),
                region,
                None,
            );
            // 1 dashboard-month × $3.00 = $3.00.
            let c = component(&r, "Dashboard");
            assert_eq!(c.monthly_quantity, Some(dec!(1)));
            assert_eq!(c.monthly_cost, Some(dec!(3)));
        }
    }
}
