//! `aws_eks_cluster`: the managed control plane, billed per cluster-hour.
//! Worker nodes are billed by their own resources (node groups, instances, Fargate).
//!
//! Defaults assumed:
//! - Standard support unless `version` is one whose standard support has ended
//!   ([`LAST_EXTENDED_SUPPORT_MINOR`] and older), which bills the extended-support
//!   rate. Standard pricing is noted, since a version moves to extended support
//!   14 months after its EKS release.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;

/// Newest Kubernetes 1.x minor whose EKS standard support had ended when the
/// shipped prices were read (1.31 left standard support on 2025-11-26).
const LAST_EXTENDED_SUPPORT_MINOR: u32 = 31;

fn minor(version: &str) -> Option<u32> {
    let mut parts = version.trim().split('.');
    (parts.next()? == "1")
        .then(|| parts.next()?.parse().ok())
        .flatten()
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let version = attrs.str("version");
    let extended = version
        .and_then(minor)
        .is_some_and(|m| m <= LAST_EXTENDED_SUPPORT_MINOR);
    let (name, usagetype) = if extended {
        p.note(format!(
            "Kubernetes {} is past EKS standard support; billed at the extended-support rate",
            version.unwrap_or_default()
        ));
        (
            "EKS cluster (extended support)",
            "AmazonEKS-Hours:extendedSupport",
        )
    } else {
        p.note(match version {
            Some(v) => format!(
                "Kubernetes {v} priced at the standard-support rate; versions move to extended support 14 months after their EKS release"
            ),
            None => "Kubernetes version unknown; standard support assumed".to_string(),
        });
        ("EKS cluster", "AmazonEKS-Hours:perCluster")
    };
    let filter =
        PriceFilter::aws("AmazonEKS", "Compute", ctx.region, "Hrs").attr("usagetype", usagetype);
    p.push(ComponentSpec::hourly(name, "hours", Decimal::ONE, filter));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn standard_support_cluster() {
        // 0.10 × 730 = 73.00
        let r = price(
            "aws_eks_cluster",
            json!({"name": "main", "version": "1.33"}),
            "eu-central-1",
            None,
        );
        assert_eq!(component(&r, "EKS cluster").monthly_cost, Some(dec!(73.00)));
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("standard-support"))
        );
    }

    #[test]
    fn old_version_bills_extended_support() {
        // 0.60 × 730 = 438.00
        let r = price(
            "aws_eks_cluster",
            json!({"name": "old", "version": "1.28"}),
            "us-east-1",
            None,
        );
        assert_eq!(
            component(&r, "EKS cluster (extended support)").monthly_cost,
            Some(dec!(438.00))
        );
    }

    #[test]
    fn unknown_version_is_standard_and_noted() {
        let r = price(
            "aws_eks_cluster",
            json!({"name": "x"}),
            "ap-northeast-1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(73.00)));
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("version unknown"))
        );
    }
}
