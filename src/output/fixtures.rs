//! A small hand-built project for the renderers' tests: one resource created
//! (with a usage-based component and a guessed region), one updated whose
//! for_each key holds `"<script>` (with a subresource), one unchanged, one
//! whose price is missing, plus unsupported and free resources.

use crate::cost::{
    Breakdown, ComponentStatus, CostComponent, HOURS_PER_MONTH, PriceFilter, PriceMiss,
    ProjectCost, ProjectMetadata, ResourceCost, ResourceMetadata, Summary, diff_breakdowns,
};
use crate::plan::{Action, Region, RegionSource};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) const SCRIPT_ADDRESS: &str = "aws_instance.web[\"<script>\"]";

fn filter(family: &'static str, attr: (&'static str, &str), unit: &'static str) -> PriceFilter {
    PriceFilter::aws("AmazonEC2", family, "us-east-1", unit).attr(attr.0, attr.1)
}

/// A priced component; `hourly` says whether the quantity is per hour all month.
pub(crate) fn priced(
    name: &str,
    unit: &str,
    monthly_qty: Decimal,
    price: Decimal,
) -> CostComponent {
    let monthly = monthly_qty * price;
    CostComponent {
        name: name.into(),
        unit: unit.into(),
        hourly_quantity: Some((monthly_qty / HOURS_PER_MONTH).round_dp(10).normalize()),
        monthly_quantity: Some(monthly_qty),
        price: Some(price),
        hourly_cost: Some((monthly / HOURS_PER_MONTH).round_dp(10).normalize()),
        monthly_cost: Some(monthly.normalize()),
        usage_based: false,
        status: ComponentStatus::Priced,
        price_filter: filter("Compute Instance", ("usagetype", "BoxUsage"), "Hrs"),
    }
}

fn usage_missing(name: &str, unit: &str, price: Decimal) -> CostComponent {
    CostComponent {
        hourly_quantity: None,
        monthly_quantity: None,
        hourly_cost: None,
        monthly_cost: None,
        usage_based: true,
        status: ComponentStatus::UsageMissing,
        ..priced(name, unit, Decimal::ZERO, price)
    }
}

fn no_price(name: &str) -> CostComponent {
    CostComponent {
        price: None,
        hourly_cost: None,
        monthly_cost: None,
        status: ComponentStatus::NoPriceFound,
        price_filter: filter("Compute Instance", ("instanceType", "x9.huge"), "Hrs"),
        ..priced(name, "hours", dec!(730), Decimal::ZERO)
    }
}

/// A resource (or subresource when `resource_type` is empty) with its totals summed.
pub(crate) fn resource(
    name: &str,
    resource_type: &str,
    actions: &[Action],
    components: Vec<CostComponent>,
    subresources: Vec<ResourceCost>,
) -> ResourceCost {
    let mut monthly: Option<Decimal> = None;
    for m in components
        .iter()
        .map(|c| c.monthly_cost)
        .chain(subresources.iter().map(|s| s.monthly_cost))
        .flatten()
    {
        *monthly.get_or_insert(Decimal::ZERO) += m;
    }
    ResourceCost {
        name: name.into(),
        resource_type: resource_type.into(),
        metadata: ResourceMetadata {
            region: (!resource_type.is_empty()).then(|| Region {
                code: "us-east-1".into(),
                source: RegionSource::Provider("aws".into()),
            }),
            actions: actions.to_vec(),
            notes: Vec::new(),
        },
        hourly_cost: monthly.map(|m| (m / HOURS_PER_MONTH).round_dp(10).normalize()),
        monthly_cost: monthly.map(|m| m.normalize()),
        cost_components: components,
        subresources,
    }
}

pub(crate) fn breakdown(resources: Vec<ResourceCost>) -> Breakdown {
    let total: Decimal = resources.iter().filter_map(|r| r.monthly_cost).sum();
    Breakdown {
        unpriced_components: crate::cost::count_unpriced(&resources),
        resources,
        total_hourly_cost: (total / HOURS_PER_MONTH).round_dp(10).normalize(),
        total_monthly_cost: total.normalize(),
    }
}

fn web(instance_price: Decimal, disk_gb: Decimal) -> ResourceCost {
    resource(
        SCRIPT_ADDRESS,
        "aws_instance",
        &[Action::Update],
        vec![priced("Instance usage", "hours", dec!(730), instance_price)],
        vec![resource(
            "root_block_device",
            "",
            &[],
            vec![priced("Storage (gp3)", "GB", disk_gb, dec!(0.08))],
            vec![],
        )],
    )
}

fn volume() -> ResourceCost {
    resource(
        "aws_ebs_volume.data",
        "aws_ebs_volume",
        &[Action::NoOp],
        vec![priced("Storage (gp3)", "GB", dec!(100), dec!(0.08))],
        vec![],
    )
}

pub(crate) fn project(
    name: &str,
    past: Vec<ResourceCost>,
    future: Vec<ResourceCost>,
) -> ProjectCost {
    let past = breakdown(past);
    let future = breakdown(future);
    let diff = diff_breakdowns(&past, &future);
    ProjectCost {
        name: name.into(),
        metadata: ProjectMetadata {
            path: Some(format!("{name}.plan.json")),
            terraform_version: Some("1.11.0".into()),
            default_region: "us-east-1".into(),
        },
        past_breakdown: past,
        breakdown: future,
        diff,
        summary: Summary::default(),
        unsupported_resources: Vec::new(),
    }
}

/// Past: web (t3.micro-like, 8 GB) + volume = $7.592 + $0.64 + $8.
/// Future: NAT gateway ($32.85 + usage), web doubled (20 GB), volume, a big
/// instance without a price.
pub(crate) fn sample_project() -> ProjectCost {
    let mut nat = resource(
        "aws_nat_gateway.main",
        "aws_nat_gateway",
        &[Action::Create],
        vec![
            priced("NAT gateway", "hours", dec!(730), dec!(0.045)),
            usage_missing("Data processed", "GB", dec!(0.045)),
        ],
        vec![],
    );
    nat.metadata.region = Some(Region {
        code: "us-east-1".into(),
        source: RegionSource::DefaultGuess,
    });
    nat.metadata
        .notes
        .push("region not found in the resource or its provider block; assumed us-east-1".into());
    let big = resource(
        "aws_instance.big",
        "aws_instance",
        &[Action::Create],
        vec![no_price("Instance usage")],
        vec![],
    );
    let mut p = project(
        "prod",
        vec![web(dec!(0.0104), dec!(8)), volume()],
        vec![nat, web(dec!(0.0208), dec!(20)), volume(), big],
    );
    p.summary = Summary {
        total_detected_resources: 9,
        total_supported_resources: 4,
        total_unsupported_resources: 3,
        total_usage_based_resources: 1,
        total_no_price_resources: 2,
        unsupported_resource_counts: [("aws_foo".to_string(), 3)].into(),
        no_price_resource_counts: [("aws_iam_role".to_string(), 1), ("aws_vpc".to_string(), 1)]
            .into(),
        usage_based_components_without_usage: 1,
        price_not_found: vec![PriceMiss {
            resources: vec!["aws_instance.big".into()],
            component: "Instance usage".into(),
            message: "no price found for aws AmazonEC2 \"Compute Instance\" in us-east-1, instanceType=x9.huge, on_demand per Hrs".into(),
        }],
        region_guessed_resources: 1,
        input_errors: Vec::new(),
    };
    p.unsupported_resources = vec!["aws_foo.a".into(), "aws_foo.b".into(), "aws_foo.c".into()];
    p
}
