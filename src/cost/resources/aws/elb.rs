//! `aws_elb` (Classic Load Balancer): an hourly charge plus each GB it processes.
//!
//! Defaults: without `monthly_data_processed_gb` the data line is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let filter = |usagetype: &str, unit| {
        PriceFilter::aws("AWSELB", "Load Balancer", ctx.region, unit).attr("usagetype", usagetype)
    };
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "Classic load balancer",
        "hours",
        Decimal::ONE,
        filter("LoadBalancerUsage", "Hrs"),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        filter("DataProcessing-Bytes", "GB"),
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
    fn hours_plus_data_processed() {
        let usage =
            "version: 0.1\nresource_usage:\n  aws_elb.test:\n    monthly_data_processed_gb: 1000\n";
        let r = price("aws_elb", json!({}), "us-east-1", Some(usage));
        // 730 h × $0.025 = $18.25; 1000 GB × $0.008 = $8.00; total $26.25.
        assert_eq!(r.monthly_cost, Some(dec!(26.25)));
    }

    #[test]
    fn data_is_usage_based_without_usage() {
        let r = price("aws_elb", json!({}), "us-east-1", None);
        assert_eq!(r.monthly_cost, Some(dec!(18.25)));
        assert_eq!(
            component(&r, "Data processed").status,
            ComponentStatus::UsageMissing
        );
    }
}
