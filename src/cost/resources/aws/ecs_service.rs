//! `aws_ecs_service`: Fargate tasks, billed per vCPU-hour and GB-hour of the
//! task definition, times the number of tasks. Tasks on the EC2 launch type run
//! on container instances that are billed as EC2 instances, so they cost
//! nothing here.
//!
//! Defaults assumed:
//! - Fargate when `launch_type = FARGATE` or a capacity provider is FARGATE or
//!   FARGATE_SPOT (Spot priced on demand, noted); anything else is EC2/external.
//! - Task size from the referenced task definition's `cpu`/`memory`
//!   (CPU units/1024 = vCPU, MiB/1024 = GB); not found → shown without a cost.
//! - `runtime_platform.cpu_architecture = ARM64` bills the ARM rates.
//! - `desired_count` unset → 0 tasks (the provider default; noted).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn is_fargate(attrs: &Attrs, notes: &mut Vec<String>) -> bool {
    if attrs.str("launch_type") == Some("FARGATE") {
        return true;
    }
    let providers: Vec<String> = attrs
        .blocks("capacity_provider_strategy")
        .iter()
        .filter_map(|b| b.str("capacity_provider").map(str::to_string))
        .collect();
    if providers.iter().any(|p| p == "FARGATE_SPOT") {
        notes.push("FARGATE_SPOT capacity priced at the on-demand Fargate rate".into());
    }
    providers.iter().any(|p| p.starts_with("FARGATE"))
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if !is_fargate(attrs, &mut p.notes) {
        p.note("EC2 launch type: tasks run on container instances, billed as EC2 instances");
        return p;
    }
    let count = match attrs.decimal("desired_count") {
        Some(n) => n,
        None => {
            p.note("desired_count unset; 0 tasks (provider default)");
            Decimal::ZERO
        }
    };
    let task = ctx.referenced(&["task_definition"]);
    let arm = task
        .and_then(|t| t.str("runtime_platform.0.cpu_architecture"))
        .is_some_and(|a| a.eq_ignore_ascii_case("ARM64"));
    let prefix = if arm { "Fargate-ARM-" } else { "Fargate-" };
    let filter = |usagetype: String, unit| {
        PriceFilter::aws("AmazonECS", "Compute", ctx.region, unit).attr("usagetype", usagetype)
    };
    let vcpu_filter = filter(format!("{prefix}vCPU-Hours:perCPU"), "hours");
    let gb_filter = filter(format!("{prefix}GB-Hours"), "GB-Hours");
    let size = task.and_then(|t| Some((t.decimal("cpu")?, t.decimal("memory")?)));
    match size {
        Some((cpu, memory)) => {
            let vcpu = cpu / dec!(1024);
            let gb = memory / dec!(1024);
            p.push(ComponentSpec::hourly(
                "Per vCPU per hour",
                "CPU",
                count * vcpu,
                vcpu_filter,
            ));
            p.push(ComponentSpec::hourly(
                "Per GB per hour",
                "GB",
                count * gb,
                gb_filter,
            ));
        }
        None => {
            p.note("task definition (or its cpu/memory) not found in the plan; task size unknown, shown without a cost");
            p.push(ComponentSpec::usage(
                "Per vCPU per hour",
                "CPU",
                None,
                vcpu_filter,
            ));
            p.push(ComponentSpec::usage(
                "Per GB per hour",
                "GB",
                None,
                gb_filter,
            ));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ResourceCost;
    use crate::cost::testing::{component, price};
    use crate::cost::{ComponentStatus, CostOptions, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};
    use std::path::Path;

    fn price_service(service: Value, task: Value) -> ResourceCost {
        let plan = json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "aws_ecs_service.api", "mode": "managed", "type": "aws_ecs_service",
                 "name": "api", "change": {"actions": ["create"], "before": null, "after": service}},
                {"address": "aws_ecs_task_definition.api", "mode": "managed",
                 "type": "aws_ecs_task_definition", "name": "api",
                 "change": {"actions": ["create"], "before": null, "after": task}}
            ],
            "configuration": {
                "provider_config": {"aws": {"name": "aws",
                    "expressions": {"region": {"constant_value": "us-east-1"}}}},
                "root_module": {"resources": [
                    {"address": "aws_ecs_service.api", "mode": "managed", "type": "aws_ecs_service",
                     "name": "api", "provider_config_key": "aws",
                     "expressions": {"task_definition": {"references":
                        ["aws_ecs_task_definition.api.arn", "aws_ecs_task_definition.api"]}}},
                    {"address": "aws_ecs_task_definition.api", "mode": "managed",
                     "type": "aws_ecs_task_definition", "name": "api", "provider_config_key": "aws"}
                ]}
            }
        });
        let plan = parse_plan(plan.to_string().as_bytes(), Path::new("t.json")).unwrap();
        estimate(&plan, PriceTable::embedded(), &CostOptions::default())
            .breakdown
            .resources
            .into_iter()
            .find(|r| r.name == "aws_ecs_service.api")
            .unwrap()
    }

    #[test]
    fn fargate_x86_tasks() {
        // 2 tasks × 0.5 vCPU = 1 vCPU × 0.04048 × 730 = 29.5504
        // 2 tasks × 1 GB = 2 GB × 0.004445 × 730 = 6.4897
        let r = price_service(
            json!({"launch_type": "FARGATE", "desired_count": 2}),
            json!({"cpu": "512", "memory": "1024"}),
        );
        assert_eq!(
            component(&r, "Per vCPU per hour").monthly_cost,
            Some(dec!(29.5504))
        );
        assert_eq!(
            component(&r, "Per GB per hour").monthly_cost,
            Some(dec!(6.4897))
        );
        assert_eq!(r.monthly_cost, Some(dec!(36.0401)));
    }

    #[test]
    fn fargate_arm64_via_capacity_provider() {
        // 1 task × 1 vCPU × 0.03238 × 730 = 23.6374; 2 GB × 0.00356 × 730 = 5.1976
        let r = price_service(
            json!({"desired_count": 1,
                   "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "weight": 1}]}),
            json!({"cpu": "1024", "memory": "2048",
                   "runtime_platform": [{"cpu_architecture": "ARM64", "operating_system_family": "LINUX"}]}),
        );
        assert_eq!(r.monthly_cost, Some(dec!(28.835)));
    }

    #[test]
    fn ec2_launch_type_is_free_here() {
        let r = price(
            "aws_ecs_service",
            json!({"launch_type": "EC2", "desired_count": 3}),
            "us-east-1",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("EC2 launch type"))
        );
    }

    #[test]
    fn missing_task_definition_is_not_zero() {
        let r = price(
            "aws_ecs_service",
            json!({"launch_type": "FARGATE", "desired_count": 3}),
            "us-east-1",
            None,
        );
        assert_eq!(r.monthly_cost, None);
        assert_eq!(
            component(&r, "Per vCPU per hour").status,
            ComponentStatus::UsageMissing
        );
    }
}
