//! Compute resources priced end to end from a `terraform show -json` plan:
//! an instance, an autoscaling group resolved through its launch template,
//! an EKS cluster and node group, an io2 volume, a Lambda function and a
//! Fargate service, all in us-east-1 with the shipped price tables.

use driftcost::cost::{ComponentStatus, ResourceCost, estimate};
use driftcost::plan::load_plan;
use driftcost::pricing::PriceTable;
use rust_decimal_macros::dec;
use std::path::Path;

fn resource<'a>(resources: &'a [ResourceCost], name: &str) -> &'a ResourceCost {
    resources
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("{name} not priced"))
}

#[test]
fn compute_plan_totals() {
    let plan = load_plan(Path::new("tests/fixtures/plan_compute_create.json")).unwrap();
    let project = estimate(&plan, PriceTable::embedded(), &Default::default());
    let rs = &project.breakdown.resources;

    // m5.large 0.096 × 730 = 70.08; root gp3 20 GB × 0.08 = 1.60
    assert_eq!(
        resource(rs, "aws_instance.web").monthly_cost,
        Some(dec!(71.68))
    );
    // launch template t3.medium 0.0416 × 730 × 2 = 60.736; gp3 30 GB × 2 × 0.08 = 4.80;
    // CPU credits (t3 default unlimited) usage-based; the template's lines
    // sit under its address, as Infracost shows them
    let asg = resource(rs, "aws_autoscaling_group.app");
    assert_eq!(asg.monthly_cost, Some(dec!(65.536)));
    assert!(
        asg.all_components()
            .iter()
            .any(|(n, c)| n == "aws_launch_template.app: CPU credits"
                && c.status == ComponentStatus::UsageMissing)
    );
    // 0.10 × 730
    assert_eq!(
        resource(rs, "aws_eks_cluster.main").monthly_cost,
        Some(dec!(73.00))
    );
    // t3.large 0.0832 × 730 × 2 = 121.472; disk 20 GB gp2 × 2 × 0.10 = 4.00
    assert_eq!(
        resource(rs, "aws_eks_node_group.workers").monthly_cost,
        Some(dec!(125.472))
    );
    // io2 100 GB × 0.125 = 12.50; 32,000 × 0.065 = 2,080.00; 8,000 × 0.0455 = 364.00
    assert_eq!(
        resource(rs, "aws_ebs_volume.data").monthly_cost,
        Some(dec!(2456.50))
    );
    // no usage file: requests and duration shown, not priced
    assert_eq!(resource(rs, "aws_lambda_function.api").monthly_cost, None);
    // 2 × 0.5 vCPU × 0.04048 × 730 = 29.5504; 2 × 1 GB × 0.004445 × 730 = 6.4897
    assert_eq!(
        resource(rs, "aws_ecs_service.api").monthly_cost,
        Some(dec!(36.0401))
    );

    // 71.68 + 65.536 + 73.00 + 125.472 + 2,456.50 + 36.0401
    assert_eq!(project.breakdown.total_monthly_cost, dec!(2828.2281));
    assert_eq!(project.diff_total_monthly_cost(), dec!(2828.2281));
    assert!(
        project.summary.price_not_found.is_empty(),
        "{:?}",
        project.summary.price_not_found
    );
    assert_eq!(project.summary.total_unsupported_resources, 0);
    // launch template and task definition are free
    assert_eq!(project.summary.total_no_price_resources, 2);
}
