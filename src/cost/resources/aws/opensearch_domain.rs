//! `aws_opensearch_domain` and `aws_elasticsearch_domain`: data node hours,
//! EBS storage per domain (and provisioned IOPS for io1), dedicated master
//! hours, and UltraWarm node hours. Elasticsearch instance types
//! (`*.elasticsearch`) are priced as their OpenSearch names (`*.search`).
//!
//! Defaults as AWS and Infracost apply them: `m4.large` data node, one
//! instance, 8 GB gp2 volumes, three dedicated masters.

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let elasticsearch = ctx.address.contains("aws_elasticsearch_domain");
    let default_type = if elasticsearch {
        "m4.large.elasticsearch"
    } else {
        "m4.large.search"
    };
    let cluster = attrs.block("cluster_config");
    let get = |key: &str| cluster.and_then(|c| c.str(key));
    let count = |key: &str| cluster.and_then(|c| c.decimal(key));
    let instance = |p: &mut Priced, name: String, instance_type: &str, n: Decimal| {
        p.push(ComponentSpec::hourly(
            name,
            "hours",
            n,
            PriceFilter::aws(
                "AmazonES",
                "Amazon OpenSearch Service Instance",
                ctx.region,
                "Hrs",
            )
            .attr(
                "instanceType",
                instance_type.replace(".elasticsearch", ".search"),
            ),
        ));
    };
    let data_type = get("instance_type").unwrap_or(default_type);
    instance(
        &mut p,
        format!("Instance (on-demand, {data_type})"),
        data_type,
        count("instance_count").unwrap_or(Decimal::ONE),
    );
    if let Some(ebs) = attrs
        .block("ebs_options")
        .filter(|e| e.bool("ebs_enabled").unwrap_or(false))
    {
        let volume_type = ebs.str("volume_type").unwrap_or("gp2");
        let media = match volume_type {
            "gp2" => "GP2",
            "gp3" => "GP3",
            "io1" => "PIOPS-Storage",
            "standard" => "Magnetic",
            _ => "GP2",
        };
        let volume = |media: &str, unit: &'static str| {
            PriceFilter::aws(
                "AmazonES",
                "Amazon OpenSearch Service Volume",
                ctx.region,
                unit,
            )
            .attr("storageMedia", media)
        };
        p.push(ComponentSpec::monthly(
            format!("Storage ({volume_type})"),
            "GB",
            ebs.decimal("volume_size").unwrap_or(dec!(8)),
            volume(media, "GB-Mo"),
        ));
        if volume_type == "io1" {
            p.push(ComponentSpec::monthly(
                "Storage IOPS (io1)",
                "IOPS",
                ebs.decimal("iops")
                    .unwrap_or(Decimal::ONE)
                    .max(Decimal::ONE),
                volume("PIOPS", "IOPS-Mo"),
            ));
        }
    }
    if cluster.and_then(|c| c.bool("dedicated_master_enabled")) == Some(true) {
        let master = get("dedicated_master_type").unwrap_or(default_type);
        instance(
            &mut p,
            format!("Dedicated master (on-demand, {master})"),
            master,
            count("dedicated_master_count").unwrap_or(dec!(3)),
        );
    }
    if cluster.and_then(|c| c.bool("warm_enabled")) == Some(true) {
        let warm_count = count("warm_count").unwrap_or_default();
        if let Some(warm) = get("warm_type").filter(|_| warm_count > Decimal::ZERO) {
            instance(
                &mut p,
                format!("UltraWarm instance (on-demand, {warm})"),
                warm,
                warm_count,
            );
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn data_master_and_warm_nodes_with_gp2() {
        let r = price(
            "aws_opensearch_domain",
            json!({"cluster_config": [{"instance_type": "c4.2xlarge.search", "instance_count": 3,
                      "dedicated_master_enabled": true, "dedicated_master_type": "c4.8xlarge.search", "dedicated_master_count": 1,
                      "warm_enabled": true, "warm_count": 2, "warm_type": "ultrawarm1.medium.search"}],
                   "ebs_options": [{"ebs_enabled": true, "volume_size": 400, "volume_type": "gp2"}]}),
            "us-east-1",
            None,
        );
        // 3 × 730 h × $0.587 = $1,285.53; 400 GB × $0.135 = $54;
        // 730 h × $2.347 = $1,713.31; 2 × 730 h × $0.238 = $347.48.
        assert_eq!(
            component(&r, "Instance (on-demand, c4.2xlarge.search)").monthly_cost,
            Some(dec!(1285.53))
        );
        assert_eq!(component(&r, "Storage (gp2)").monthly_cost, Some(dec!(54)));
        assert_eq!(
            component(&r, "Dedicated master (on-demand, c4.8xlarge.search)").monthly_cost,
            Some(dec!(1713.31))
        );
        assert_eq!(
            component(
                &r,
                "UltraWarm instance (on-demand, ultrawarm1.medium.search)"
            )
            .monthly_cost,
            Some(dec!(347.48))
        );
    }

    #[test]
    fn elasticsearch_io1_and_magnetic_storage() {
        let r = price(
            "aws_elasticsearch_domain",
            json!({"cluster_config": [{"instance_type": "c4.2xlarge.elasticsearch", "instance_count": 3}],
                   "ebs_options": [{"ebs_enabled": true, "volume_size": 1000, "volume_type": "io1", "iops": 10}]}),
            "us-east-1",
            None,
        );
        // Elasticsearch names priced as OpenSearch: $1,285.53; 1,000 GB × $0.169 = $169;
        // 10 IOPS × $0.088 = $0.88.
        assert_eq!(
            component(&r, "Instance (on-demand, c4.2xlarge.elasticsearch)").monthly_cost,
            Some(dec!(1285.53))
        );
        assert_eq!(component(&r, "Storage (io1)").monthly_cost, Some(dec!(169)));
        assert_eq!(
            component(&r, "Storage IOPS (io1)").monthly_cost,
            Some(dec!(0.88))
        );
        let r = price(
            "aws_opensearch_domain",
            json!({"cluster_config": [{"instance_type": "c4.2xlarge.search", "instance_count": 3}],
                   "ebs_options": [{"ebs_enabled": true, "volume_size": 123, "volume_type": "standard"}]}),
            "us-east-1",
            None,
        );
        // 123 GB × $0.067 = $8.241.
        assert_eq!(
            component(&r, "Storage (standard)").monthly_cost,
            Some(dec!(8.241))
        );
        assert_eq!(r.cost_components.len(), 2);
    }
}
