//! `aws_ecr_repository`: image storage per GB-month.
//!
//! Usage (Infracost's key): `storage_gb`; without it the line is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        PriceFilter::aws("AmazonECR", "EC2 Container Registry", ctx.region, "GB-Mo")
            .attr("usagetype", "TimedStorage-ByteHrs"),
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
    fn storage_from_usage_or_usage_based() {
        let usage =
            "version: 0.1\nresource_usage:\n  aws_ecr_repository.test:\n    storage_gb: 25\n";
        let r = price("aws_ecr_repository", json!({}), "us-east-1", Some(usage));
        // 25 GB × $0.10 = $2.50.
        assert_eq!(component(&r, "Storage").monthly_cost, Some(dec!(2.5)));
        let r = price("aws_ecr_repository", json!({}), "us-east-1", None);
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
    }
}
