//! `aws_redshift_cluster`: node hours by node type; RA3 managed storage;
//! concurrency scaling beyond the free credits (RA3, DS2, DC2); Spectrum
//! data scanned; backup storage in AWS's tiers (first 50 TB, next 450 TB,
//! over 500 TB).
//!
//! Usage (Infracost's keys): `managed_storage_gb`,
//! `excess_concurrency_scaling_secs` (node-seconds), `spectrum_data_scanned_tb`,
//! `backup_storage_gb`; lines without them stay usage-based.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let node_type = attrs.str("node_type").unwrap_or("unknown");
    let nodes = attrs.decimal("number_of_nodes").unwrap_or(Decimal::ONE);
    p.push(ComponentSpec::hourly(
        format!("Cluster usage (on-demand, {node_type})"),
        "hours",
        nodes,
        PriceFilter::aws("AmazonRedshift", "Compute Instance", ctx.region, "Hrs")
            .attr("instanceType", node_type),
    ));
    if node_type.starts_with("ra3") {
        p.push(ComponentSpec::usage(
            format!("Managed storage ({node_type})"),
            "GB",
            ctx.usage.decimal("managed_storage_gb"),
            PriceFilter::aws(
                "AmazonRedshift",
                "Redshift Managed Storage",
                ctx.region,
                "GB-Mo",
            )
            .attr("instanceType", node_type),
        ));
    }
    if ["ra3", "ds2", "dc2"]
        .iter()
        .any(|f| node_type.starts_with(f))
    {
        p.push(ComponentSpec::usage(
            format!("Concurrency scaling ({node_type})"),
            "node-seconds",
            ctx.usage.decimal("excess_concurrency_scaling_secs"),
            PriceFilter::aws(
                "AmazonRedshift",
                "Redshift Concurrency Scaling",
                ctx.region,
                "Node-Seconds",
            )
            .attr("instanceType", node_type),
        ));
    }
    p.push(ComponentSpec::usage(
        "Spectrum",
        "TB",
        ctx.usage.decimal("spectrum_data_scanned_tb"),
        PriceFilter::aws(
            "AmazonRedshift",
            "Redshift Data Scan",
            ctx.region,
            "Terabytes",
        )
        .attr("usagetype", "Spectrum-DataScanned"),
    ));
    p.push(
        ComponentSpec::usage(
            "Backup storage",
            "GB",
            ctx.usage.decimal("backup_storage_gb"),
            PriceFilter::aws("AmazonRedshift", "Storage Snapshot", ctx.region, "GB-Mo")
                .attr("usagetype", "PaidSnapshotStorage"),
        )
        .tier_names(&[
            "Backup storage (first 50 TB)",
            "Backup storage (next 450 TB)",
            "Backup storage (over 500 TB)",
        ]),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn dense_storage_with_every_usage_line() {
        let usage = "version: 0.1\nresource_usage:\n  aws_redshift_cluster.test:\n    excess_concurrency_scaling_secs: 4321\n    spectrum_data_scanned_tb: 0.5\n    backup_storage_gb: 612000\n";
        let r = price(
            "aws_redshift_cluster",
            json!({"node_type": "ds2.8xlarge", "number_of_nodes": 1}),
            "us-east-1",
            Some(usage),
        );
        // 730 h × $6.80 = $4,964; 4,321 node-s × $0.00189 = $8.16669; 0.5 TB × $5 = $2.50.
        assert_eq!(
            component(&r, "Cluster usage (on-demand, ds2.8xlarge)").monthly_cost,
            Some(dec!(4964))
        );
        assert_eq!(
            component(&r, "Concurrency scaling (ds2.8xlarge)").monthly_cost,
            Some(dec!(8.16669))
        );
        assert_eq!(component(&r, "Spectrum").monthly_cost, Some(dec!(2.5)));
        // 51,200 GB × $0.023 = $1,177.60; 512,000 × $0.022 = $11,264; 48,800 × $0.021 = $1,024.80.
        assert_eq!(
            component(&r, "Backup storage (first 50 TB)").monthly_cost,
            Some(dec!(1177.6))
        );
        assert_eq!(
            component(&r, "Backup storage (next 450 TB)").monthly_cost,
            Some(dec!(11264))
        );
        let over = component(&r, "Backup storage (over 500 TB)");
        assert_eq!(over.monthly_quantity, Some(dec!(48800)));
        assert_eq!(over.monthly_cost, Some(dec!(1024.8)));
    }

    #[test]
    fn ra3_nodes_have_managed_storage() {
        let usage = "version: 0.1\nresource_usage:\n  aws_redshift_cluster.test:\n    managed_storage_gb: 321\n";
        let r = price(
            "aws_redshift_cluster",
            json!({"node_type": "ra3.4xlarge", "number_of_nodes": 6}),
            "us-east-1",
            Some(usage),
        );
        // 6 × 730 h × $3.26 = $14,278.80; 321 GB × $0.024 = $7.704.
        assert_eq!(
            component(&r, "Cluster usage (on-demand, ra3.4xlarge)").monthly_cost,
            Some(dec!(14278.8))
        );
        assert_eq!(
            component(&r, "Managed storage (ra3.4xlarge)").monthly_cost,
            Some(dec!(7.704))
        );
        assert_eq!(
            component(&r, "Backup storage (first 50 TB)").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.cost_components.len(), 5);
    }
}
