//! End-to-end pricing of a plan whose resources live in two regions: the root
//! module uses the default `aws` provider (us-east-1) and `module.edge` is
//! given the aliased `aws.tokyo` provider (ap-northeast-1). The totals below
//! are worked out by hand from the shipped tables' unit prices.

use driftcost::cost::{CostOptions, ResourceCost, UsageFile, estimate};
use driftcost::plan::{RegionSource, load_plan};
use driftcost::pricing::PriceTable;
use rust_decimal_macros::dec;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn resource<'a>(resources: &'a [ResourceCost], address: &str) -> &'a ResourceCost {
    resources
        .iter()
        .find(|r| r.name == address)
        .unwrap_or_else(|| panic!("{address} not in the breakdown"))
}

#[test]
fn multi_region_network_plan_prices_each_resource_in_its_providers_region() {
    let plan = load_plan(&fixture("plan_network_multi_region.json")).unwrap();
    let usage_path = fixture("usage_network_multi_region.yml");
    let usage =
        UsageFile::parse(&std::fs::read_to_string(&usage_path).unwrap(), &usage_path).unwrap();
    let opts = CostOptions {
        usage,
        ..CostOptions::default()
    };
    let project = estimate(&plan, PriceTable::embedded(), &opts);
    let future = &project.breakdown.resources;

    // Root module, us-east-1 (default provider):
    //   aws_nat_gateway.main  730 h × $0.045 + 100 GB × $0.045        = $37.35
    //   aws_lb.web            730 h × $0.0225 + 2 GB ÷ 1 GB per LCU = 2 LCU-hours
    //                         × $0.008 (Infracost's reading)            = 16.425 + 0.016 = $16.441
    //   aws_eip.nat           730 h × $0.005                            = $3.65
    //   aws_route53_zone.main 1 zone × $0.50                            = $0.50
    //   aws_sqs_queue.jobs    10M FIFO requests × $0.50 per 1M          = $5.00
    //   aws_kms_key.logs      1 key × $1.00 (requests usage-based)      = $1.00
    // module.edge, ap-northeast-1 (aws.tokyo):
    //   aws_nat_gateway.this  730 h × $0.062 (data usage-based)         = $45.26
    //   aws_lb.nlb            730 h × $0.0243 (NLCUs usage-based)       = $17.739
    // Total = 37.35 + 16.441 + 3.65 + 0.5 + 5 + 1 + 45.26 + 17.739     = $126.94
    let expect = [
        ("aws_nat_gateway.main", dec!(37.35)),
        ("aws_lb.web", dec!(16.441)),
        ("aws_eip.nat", dec!(3.65)),
        ("aws_route53_zone.main", dec!(0.5)),
        ("aws_sqs_queue.jobs", dec!(5)),
        ("aws_kms_key.logs", dec!(1)),
        ("module.edge.aws_nat_gateway.this", dec!(45.26)),
        ("module.edge.aws_lb.nlb", dec!(17.739)),
    ];
    for (address, monthly) in expect {
        assert_eq!(
            resource(future, address).monthly_cost,
            Some(monthly),
            "{address}"
        );
    }
    assert_eq!(project.breakdown.total_monthly_cost, dec!(126.94));

    // Only the KMS key existed before: the delta is everything else.
    assert_eq!(project.past_breakdown.total_monthly_cost, dec!(1));
    assert_eq!(project.diff.total_monthly_cost, dec!(125.94));

    // The module's resources take their region from the aliased provider.
    for address in ["module.edge.aws_nat_gateway.this", "module.edge.aws_lb.nlb"] {
        let region = resource(future, address).metadata.region.clone().unwrap();
        assert_eq!(region.code, "ap-northeast-1", "{address}");
        assert_eq!(region.source, RegionSource::Provider("aws.tokyo".into()));
    }
    let root = resource(future, "aws_nat_gateway.main")
        .metadata
        .region
        .clone()
        .unwrap();
    assert_eq!(root.code, "us-east-1");
    assert_eq!(root.source, RegionSource::Provider("aws".into()));
    // The updated key keeps the region in its ARN.
    let key = resource(future, "aws_kms_key.logs")
        .metadata
        .region
        .clone()
        .unwrap();
    assert_eq!(key.source, RegionSource::Resource("arn".into()));

    let s = &project.summary;
    assert_eq!(s.total_detected_resources, 9);
    assert_eq!(s.total_supported_resources, 8);
    assert_eq!(s.total_no_price_resources, 1, "aws_vpc is free");
    assert_eq!(s.total_unsupported_resources, 0);
    // KMS requests and its ECC and RSA GenerateDataKeyPair requests, the
    // Tokyo NAT's data and the NLB's NLCUs have no usage.
    assert_eq!(s.usage_based_components_without_usage, 5);
    assert!(s.price_not_found.is_empty(), "{:?}", s.price_not_found);
    assert_eq!(s.region_guessed_resources, 0);
}
