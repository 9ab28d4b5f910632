//! `aws_efs_file_system`: stored GB by storage class (usage-based) and, in
//! provisioned throughput mode, the provisioned MiB/s.
//!
//! Defaults assumed: `throughput_mode` `bursting` (no throughput charge);
//! provisioned throughput is billed on the whole provisioned rate (the
//! throughput that bursting storage would include for free is not deducted,
//! noted). IA read/write access charges are not priced.
//!
//! Usage: `storage_gb`, `infrequent_access_storage_gb`.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let filter = |family: &'static str, usagetype: &str, unit: &'static str| {
        PriceFilter::aws("AmazonEFS", family, ctx.region, unit).attr("usagetype", usagetype)
    };
    p.push(ComponentSpec::usage(
        "Storage (standard)",
        "GB",
        ctx.usage.decimal("storage_gb"),
        filter("Storage", "TimedStorage-ByteHrs", "GB-Mo"),
    ));
    p.push(ComponentSpec::usage(
        "Storage (infrequent access)",
        "GB",
        ctx.usage.decimal("infrequent_access_storage_gb"),
        filter("Storage", "IATimedStorage-ByteHrs", "GB-Mo"),
    ));
    if attrs.str("throughput_mode") == Some("provisioned")
        && let Some(mibps) = attrs.decimal("provisioned_throughput_in_mibps")
    {
        p.push(ComponentSpec::monthly(
            "Provisioned throughput",
            "MiBps",
            mibps,
            filter(
                "Provisioned Throughput",
                "ProvisionedTP-MiBpsHrs",
                "MiBps-Mo",
            ),
        ));
        p.note("provisioned throughput billed in full; the baseline included with storage is not deducted");
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
    fn standard_storage_from_usage() {
        let r = price(
            "aws_efs_file_system",
            json!({"throughput_mode": "bursting"}),
            "us-east-1",
            Some(
                "version: 0.1\nresource_usage:\n  aws_efs_file_system.test:\n    storage_gb: 250\n",
            ),
        );
        // 250 GB × 0.30 $ = 75
        assert_eq!(
            component(&r, "Storage (standard)").monthly_cost,
            Some(dec!(75))
        );
        let ia = component(&r, "Storage (infrequent access)");
        assert_eq!(ia.status, ComponentStatus::NoPriceFound);
        assert_eq!(r.monthly_cost, Some(dec!(75)));
        assert_eq!(r.cost_components.len(), 2);
    }

    #[test]
    fn provisioned_throughput_mode_bills_mibps() {
        let r = price(
            "aws_efs_file_system",
            json!({"throughput_mode": "provisioned", "provisioned_throughput_in_mibps": 64}),
            "eu-west-1",
            None,
        );
        let t = component(&r, "Provisioned throughput");
        assert_eq!(t.monthly_quantity, Some(dec!(64)));
        assert!(
            t.price_filter
                .to_string()
                .contains("usagetype=ProvisionedTP-MiBpsHrs")
        );
    }
}
