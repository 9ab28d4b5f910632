//! `aws_ecs_service`: Fargate tasks, billed per vCPU-hour and GB-hour of the
//! task definition, times the number of tasks. Tasks on the EC2 launch type run
//! on container instances that are billed as EC2 instances, so they cost
//! nothing here.
//!
//! Defaults assumed:
//! - Fargate when `launch_type = FARGATE` or a capacity provider is FARGATE or
//!   FARGATE_SPOT (Spot priced on demand, noted); anything else is EC2/external.
//! - No launch type and no strategy: Fargate when the cluster's
//!   `aws_ecs_cluster_capacity_providers` (matched by `cluster_name` value or
//!   by reference to the same cluster) lists FARGATE.
//! - Task size from the referenced task definition's `cpu`/`memory` (CPU
//!   units/1024 or `"1 vCPU"`; MiB/1024 or `"2 GB"`), else from the
//!   `aws_ecs_task_set` that runs the service's tasks; not found → shown
//!   without a cost.
//! - `runtime_platform.cpu_architecture = ARM64` bills the ARM rates.
//! - `desired_count` unset → 0 tasks (the provider default; noted).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn is_fargate(attrs: &Attrs, ctx: &Ctx, notes: &mut Vec<String>) -> bool {
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
    if providers.iter().any(|p| p.starts_with("FARGATE")) {
        return true;
    }
    // No launch type and no strategy: the cluster's capacity providers
    // decide (`aws_ecs_cluster_capacity_providers` naming FARGATE).
    providers.is_empty()
        && attrs.str("launch_type").is_none()
        && cluster_capacity_providers(attrs, ctx)
            .iter()
            .any(|p| p.starts_with("FARGATE"))
}

/// The capacity providers of the cluster the service runs in: the
/// `aws_ecs_cluster_capacity_providers` whose `cluster_name` is the service's
/// `cluster` value, or refers to the same `aws_ecs_cluster`.
fn cluster_capacity_providers(attrs: &Attrs, ctx: &Ctx) -> Vec<String> {
    let own_cluster = attrs.str("cluster");
    let own_refs = ctx.referenced_addresses(ctx.resource, "cluster");
    if own_cluster.is_none() && own_refs.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for rc in ctx
        .plan
        .resource_changes
        .iter()
        .filter(|rc| rc.resource_type == "aws_ecs_cluster_capacity_providers")
    {
        let Some(values) = rc.change.after_value().or(rc.change.before_value()) else {
            continue;
        };
        let cp = Attrs::new(values);
        let by_value = own_cluster.is_some() && cp.str("cluster_name") == own_cluster;
        let by_reference = ctx
            .referenced_addresses(rc, "cluster_name")
            .iter()
            .any(|r| own_refs.contains(r));
        if by_value || by_reference {
            out.extend(
                cp.get("capacity_providers")
                    .and_then(|v| v.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string)),
            );
        }
    }
    out
}

/// The task definition of an `aws_ecs_task_set` that runs this service's
/// tasks, when the service names none itself.
fn task_set_definition<'p>(ctx: &Ctx<'_, 'p>) -> Option<Attrs<'p>> {
    let own = ctx.resource.address.as_str();
    let plan = ctx.plan;
    let set = plan.resource_changes.iter().find(|rc| {
        rc.resource_type == "aws_ecs_task_set"
            && ctx
                .referenced_addresses(rc, "service")
                .iter()
                .any(|r| r == own)
    })?;
    let wanted = ctx.referenced_addresses(set, "task_definition");
    let task = plan
        .resource_changes
        .iter()
        .find(|rc| wanted.contains(&rc.address))?;
    task.change
        .after_value()
        .or(task.change.before_value())
        .map(Attrs::new)
}

/// A task definition's `cpu`: CPU units (`1024`) or vCPUs (`1 vCPU`), as vCPUs.
fn vcpus(text: &str) -> Option<Decimal> {
    let t = text.trim();
    match t.to_ascii_lowercase().strip_suffix("vcpu") {
        Some(n) => n.trim().parse().ok(),
        None => t.parse::<Decimal>().ok().map(|units| units / dec!(1024)),
    }
}

/// A task definition's `memory`: MiB (`2048`) or GB (`2 GB`), as GB.
fn gigabytes(text: &str) -> Option<Decimal> {
    let t = text.trim();
    match t.to_ascii_lowercase().strip_suffix("gb") {
        Some(n) => n.trim().parse().ok(),
        None => t.parse::<Decimal>().ok().map(|mib| mib / dec!(1024)),
    }
}

/// `cpu`/`memory` as text whether the plan holds a string or a number.
fn text_of(attrs: &Attrs, key: &str) -> Option<String> {
    match attrs.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if !is_fargate(attrs, ctx, &mut p.notes) {
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
    let task = ctx
        .referenced(&["task_definition"])
        .or_else(|| task_set_definition(ctx));
    let arm = task
        .and_then(|t| t.str("runtime_platform.0.cpu_architecture"))
        .is_some_and(|a| a.eq_ignore_ascii_case("ARM64"));
    let prefix = if arm { "Fargate-ARM-" } else { "Fargate-" };
    let filter = |usagetype: String, unit| {
        PriceFilter::aws("AmazonECS", "Compute", ctx.region, unit).attr("usagetype", usagetype)
    };
    let vcpu_filter = filter(format!("{prefix}vCPU-Hours:perCPU"), "hours");
    let gb_filter = filter(format!("{prefix}GB-Hours"), "GB-Hours");
    let size = task.and_then(|t| {
        Some((
            vcpus(&text_of(&t, "cpu")?)?,
            gigabytes(&text_of(&t, "memory")?)?,
        ))
    });
    match size {
        Some((vcpu, gb)) => {
            // Shown per vCPU and GB running all month (Infracost's
            // hour-to-month unit), not per vCPU-hour.
            p.push(
                ComponentSpec::hourly("Per vCPU per hour", "CPU", count * vcpu, vcpu_filter)
                    .per(dec!(730)),
            );
            p.push(
                ComponentSpec::hourly("Per GB per hour", "GB", count * gb, gb_filter)
                    .per(dec!(730)),
            );
        }
        None => {
            p.note("task definition (or its cpu/memory) not found in the plan; task size unknown, shown without a cost");
            p.push(
                ComponentSpec::usage("Per vCPU per hour", "CPU", None, vcpu_filter).per(dec!(730)),
            );
            p.push(ComponentSpec::usage("Per GB per hour", "GB", None, gb_filter).per(dec!(730)));
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

    /// Infracost's `ecs_service_test` golden: a task definition written as
    /// `cpu = "1 vCPU"`, `memory = "2 GB"` with 1 task shows 1 CPU ($29.55)
    /// and 2 GB ($6.49), quantities per unit running all month.
    #[test]
    fn task_size_in_words_and_quantities_per_month_unit() {
        assert_eq!(super::vcpus("1 vCPU"), Some(dec!(1)));
        assert_eq!(super::vcpus("512"), Some(dec!(0.5)));
        assert_eq!(super::gigabytes("2 GB"), Some(dec!(2)));
        assert_eq!(super::gigabytes("3072"), Some(dec!(3)));
        let r = price_service(
            json!({"launch_type": "FARGATE", "desired_count": 1}),
            json!({"cpu": "1 vCPU", "memory": "2 GB"}),
        );
        let cpu = component(&r, "Per vCPU per hour");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1)));
        assert_eq!(cpu.monthly_cost, Some(dec!(29.5504)));
        let gb = component(&r, "Per GB per hour");
        assert_eq!(gb.monthly_quantity, Some(dec!(2)));
        assert_eq!(gb.monthly_cost, Some(dec!(6.4897)));
    }
}
