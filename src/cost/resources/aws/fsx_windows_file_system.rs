//! `aws_fsx_windows_file_system`: provisioned throughput (MBps-months),
//! SSD or HDD storage (GB-months) at the Single-AZ or Multi-AZ rate of the
//! `deployment_type`, and backup storage.
//!
//! Usage (Infracost's key): `backup_storage_gb`; without it the backup line
//! is usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let deployment = if attrs
        .str("deployment_type")
        .is_some_and(|d| d.contains("MULTI_AZ"))
    {
        "Multi-AZ"
    } else {
        "Single-AZ"
    };
    let storage_type = if attrs
        .str("storage_type")
        .is_some_and(|s| s.eq_ignore_ascii_case("hdd"))
    {
        "HDD"
    } else {
        "SSD"
    };
    let storage = |storage_type: &str| {
        PriceFilter::aws("AmazonFSx", "Storage", ctx.region, "GB-Mo")
            .attr("fileSystemType", "Windows")
            .attr("deploymentOption", deployment)
            .attr("storageType", storage_type)
    };
    match attrs.decimal("throughput_capacity") {
        Some(mbps) => p.push(ComponentSpec::monthly(
            "Throughput capacity",
            "MBps",
            mbps,
            PriceFilter::aws("AmazonFSx", "Provisioned Throughput", ctx.region, "MBps-Mo")
                .attr("fileSystemType", "Windows")
                .attr("deploymentOption", deployment),
        )),
        None => p.note("throughput_capacity not known at plan time: throughput not priced"),
    }
    match attrs.decimal("storage_capacity") {
        Some(gb) => p.push(ComponentSpec::monthly(
            format!("{storage_type} storage"),
            "GB",
            gb,
            storage(storage_type),
        )),
        None => p.note("storage_capacity not known at plan time: storage not priced"),
    }
    p.push(ComponentSpec::usage(
        "Backup storage",
        "GB",
        ctx.usage.decimal("backup_storage_gb"),
        storage("Backup"),
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
    fn multi_az_hdd_with_backups() {
        let usage = "version: 0.1\nresource_usage:\n  aws_fsx_windows_file_system.test:\n    backup_storage_gb: 10000\n";
        let r = price(
            "aws_fsx_windows_file_system",
            json!({"deployment_type": "MULTI_AZ_1", "storage_type": "HDD", "storage_capacity": 300, "throughput_capacity": 1024}),
            "us-east-1",
            Some(usage),
        );
        // 1,024 MBps × $4.50 = $4,608; 300 GB × $0.025 = $7.50; 10,000 GB × $0.05 = $500.
        assert_eq!(
            component(&r, "Throughput capacity").monthly_cost,
            Some(dec!(4608))
        );
        assert_eq!(component(&r, "HDD storage").monthly_cost, Some(dec!(7.5)));
        assert_eq!(
            component(&r, "Backup storage").monthly_cost,
            Some(dec!(500))
        );
        assert_eq!(r.monthly_cost, Some(dec!(5115.5)));
    }

    #[test]
    fn ssd_is_the_default_and_single_az_has_its_own_rate() {
        let r = price(
            "aws_fsx_windows_file_system",
            json!({"deployment_type": "MULTI_AZ_1", "storage_capacity": 300, "throughput_capacity": 1024}),
            "us-east-1",
            None,
        );
        // 300 GB × $0.23 = $69.
        assert_eq!(component(&r, "SSD storage").monthly_cost, Some(dec!(69)));
        assert_eq!(
            component(&r, "Backup storage").status,
            ComponentStatus::UsageMissing
        );
        let r = price(
            "aws_fsx_windows_file_system",
            json!({"deployment_type": "SINGLE_AZ_2", "storage_capacity": 300, "throughput_capacity": 32}),
            "us-east-1",
            None,
        );
        // No Single-AZ rate is shipped: said, not shown as $0.
        assert_eq!(
            component(&r, "SSD storage").status,
            ComponentStatus::NoPriceFound
        );
    }
}
