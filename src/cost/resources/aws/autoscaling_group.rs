//! `aws_autoscaling_group`: the group's instances, as its launch template or
//! launch configuration describes them, times the number of instances.
//! EKS node groups reuse [`price_launch_template`].
//!
//! Defaults assumed:
//! - Instance count: usage key `instances` (Infracost's), else
//!   `desired_capacity`, else `min_size`, else 1 (noted).
//! - Launch template found via `launch_template.id`/`name`, or
//!   `mixed_instances_policy`'s template (priced as the template's type; overrides
//!   and Spot allocation not modelled, noted). Not found → instance hours with no
//!   price and a note, never a silent $0.
//! - Template disks: its `block_device_mappings` (`block_device_mapping[i]`);
//!   none → no disk line (the AMI's root volume is not in the plan, as in
//!   Infracost).
//! - Lines are listed under the template's or configuration's address
//!   (`aws_launch_template.lt`, `aws_launch_template.lt: block_device_mapping[0]`),
//!   as Infracost lists them.
//! - Reserved rates from `reserved_instance_type`, `reserved_instance_term`,
//!   `reserved_instance_payment_option`.
//! - Launch configuration: `root_block_device` (else 8 GB gp2) and
//!   `ebs_block_device`; `enable_monitoring` defaults to true (AWS default),
//!   so detailed monitoring is billed unless it is turned off.
//! - Operating system from the usage key `operating_system`, else Linux.
//!
//! Usage: `operating_system`, `monthly_cpu_credit_hrs` (per vCPU of each
//! instance, as in Infracost) and `vcpu_count`.

use super::ebs_volume::Volume;
use super::instance::{
    Os, cpu_credits, detailed_monitoring, ebs_optimized, instance_hours, push_volume, reserved,
    reserved_option, root_volume, tenancy,
};
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;

/// Prices `count` instances launched from a launch template, listed as
/// Infracost lists them: under a part named by the template's address
/// (`aws_launch_template.lt`), its disks under `<address>: block_device_mapping[i]`
/// (a nested part is named by its path). `override_type` (a node group's
/// `instance_types`) wins over the template's `instance_type`;
/// `fallback_type` is used when neither sets one. A template without
/// `block_device_mappings` lists `default_root` when given (a node group's
/// disk), else no disk (the AMI's root volume is not in the plan).
pub(crate) fn price_launch_template(
    p: &mut Priced,
    ctx: &Ctx,
    lt: &Attrs,
    count: Decimal,
    override_type: Option<&str>,
    fallback_type: Option<&str>,
    default_root: Option<Volume>,
) {
    let os = Os::from_usage(ctx, &mut p.notes);
    let tenancy = tenancy(lt.str("placement.0.tenancy"), &mut p.notes);
    let instance_type = match override_type
        .or_else(|| lt.str("instance_type"))
        .or(fallback_type)
    {
        Some(t) => t.to_string(),
        None => {
            p.note("launch template has no instance_type; instance hours not priced");
            "unknown".to_string()
        }
    };
    let mut group = Priced::default();
    let hours = instance_hours(ctx, &instance_type, os, tenancy, count);
    group.push(match reserved_option(ctx, &mut p.notes) {
        Some(option) => reserved(hours, option),
        None => hours,
    });
    if lt.bool("ebs_optimized") == Some(true)
        && let Some(c) = ebs_optimized(ctx, &instance_type, count, &mut p.notes)
    {
        group.push(c);
    }
    if lt.bool("monitoring.0.enabled") == Some(true) {
        group.push(detailed_monitoring(ctx, count));
    }
    if let Some(c) = cpu_credits(
        ctx,
        &instance_type,
        lt.str("credit_specification.0.cpu_credits"),
        os,
        count,
        p,
    ) {
        group.push(c);
    }
    let mappings: Vec<Attrs> = lt
        .blocks("block_device_mappings")
        .iter()
        .filter_map(|m| m.block("ebs"))
        .collect();
    if mappings.is_empty()
        && let Some(root) = default_root
    {
        push_volume(&mut group, "root_block_device".into(), &root, ctx, count);
    }
    for (i, ebs) in mappings.iter().enumerate() {
        let mut v = Volume::from_block(ebs, "volume_type", "volume_size");
        if v.size_gb.is_none() {
            p.note(format!(
                "block_device_mapping[{i}]: volume_size not set (taken from the AMI); 8 GB assumed"
            ));
            v.size_gb = Some(super::instance::DEFAULT_ROOT_GB);
        }
        push_volume(
            &mut group,
            format!("block_device_mapping[{i}]"),
            &v,
            ctx,
            count,
        );
    }
    nest(p, referenced_address(ctx, lt), group);
}

/// Prices `count` instances launched from a launch configuration, under a
/// part named by its address, as [`price_launch_template`] does.
fn price_launch_configuration(p: &mut Priced, ctx: &Ctx, lc: &Attrs, count: Decimal) {
    let os = Os::from_usage(ctx, &mut p.notes);
    let tenancy = tenancy(lc.str("placement_tenancy"), &mut p.notes);
    let instance_type = lc.str("instance_type").unwrap_or("unknown");
    let mut group = Priced::default();
    let hours = instance_hours(ctx, instance_type, os, tenancy, count);
    group.push(match reserved_option(ctx, &mut p.notes) {
        Some(option) => reserved(hours, option),
        None => hours,
    });
    if lc.bool("ebs_optimized") == Some(true)
        && let Some(c) = ebs_optimized(ctx, instance_type, count, &mut p.notes)
    {
        group.push(c);
    }
    if lc.bool("enable_monitoring").unwrap_or(true) {
        group.push(detailed_monitoring(ctx, count));
    }
    if let Some(c) = cpu_credits(ctx, instance_type, None, os, count, p) {
        group.push(c);
    }
    let root = root_volume(lc.block("root_block_device"), "volume_type", "volume_size");
    push_volume(&mut group, "root_block_device".into(), &root, ctx, count);
    for (i, block) in lc.blocks("ebs_block_device").iter().enumerate() {
        let v = Volume::from_block(block, "volume_type", "volume_size");
        push_volume(&mut group, format!("ebs_block_device[{i}]"), &v, ctx, count);
    }
    nest(p, referenced_address(ctx, lc), group);
}

/// Lists `group` under `label` (its components as a part, each of its parts
/// as `label: part`), or as the resource's own lines when there is no label.
fn nest(p: &mut Priced, label: Option<String>, group: Priced) {
    p.notes.extend(group.notes);
    p.too_large.extend(group.too_large);
    match label {
        Some(label) => {
            if !group.components.is_empty() {
                p.subresources.push((label.clone(), group.components));
            }
            for (name, components) in group.subresources {
                p.subresources
                    .push((format!("{label}: {name}"), components));
            }
        }
        None => {
            p.components.extend(group.components);
            p.subresources.extend(group.subresources);
        }
    }
}

/// The address of the plan resource whose attributes `found` are (a launch
/// template found through a reference).
fn referenced_address(ctx: &Ctx, found: &Attrs) -> Option<String> {
    let raw = found.raw();
    ctx.plan
        .resource_changes
        .iter()
        .find(|rc| {
            [rc.change.after_value(), rc.change.before_value()]
                .into_iter()
                .flatten()
                .any(|v| std::ptr::eq(v, raw))
        })
        .map(|rc| rc.address.clone())
}

/// The launch template a resource refers to through `block` (`launch_template`).
pub(crate) fn referenced_template<'p>(ctx: &Ctx<'_, 'p>, block: &str) -> Option<Attrs<'p>> {
    ctx.referenced(&[block, "id"])
        .or_else(|| ctx.referenced(&[block, "name"]))
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    // Infracost's `instances` usage key wins over the plan's capacity.
    let count = match ctx.usage.decimal("instances").or_else(|| {
        attrs
            .decimal("desired_capacity")
            .or_else(|| attrs.decimal("min_size"))
    }) {
        Some(n) => n,
        None => {
            p.note("desired_capacity and min_size unknown; 1 instance assumed");
            Decimal::ONE
        }
    };
    if let Some(lt) = referenced_template(ctx, "launch_template") {
        price_launch_template(&mut p, ctx, &lt, count, None, None, None);
    } else if let Some(lc) = ctx.referenced(&["launch_configuration"]) {
        price_launch_configuration(&mut p, ctx, &lc, count);
    } else if attrs.get("mixed_instances_policy").is_some() {
        let mixed = ctx
            .referenced(&[
                "mixed_instances_policy",
                "launch_template",
                "launch_template_specification",
                "launch_template_id",
            ])
            .or_else(|| {
                ctx.referenced(&[
                    "mixed_instances_policy",
                    "launch_template",
                    "launch_template_specification",
                    "launch_template_name",
                ])
            });
        match mixed {
            Some(lt) => {
                p.note("mixed_instances_policy: priced as the launch template's instance type, on demand; overrides and Spot allocation are not modelled");
                price_launch_template(&mut p, ctx, &lt, count, None, None, None);
            }
            None => unresolved(&mut p, ctx, count),
        }
    } else {
        unresolved(&mut p, ctx, count);
    }
    p
}

/// Shows the group's instances with no price rather than pricing them at $0.
fn unresolved(p: &mut Priced, ctx: &Ctx, count: Decimal) {
    p.note("launch template or launch configuration not found in the plan; instances not priced");
    p.push(instance_hours(ctx, "unknown", Os::Linux, "Shared", count));
}

#[cfg(test)]
mod instances_usage_tests {
    use crate::cost::testing::price;
    use rust_decimal_macros::dec;
    use serde_json::json;

    /// Infracost's `instances` usage key sets how many instances the group
    /// runs: 15 × 730 h = 10,950 hours.
    #[test]
    fn instances_from_the_usage_file_win_over_desired_capacity() {
        let usage =
            "version: 0.1\nresource_usage:\n  aws_autoscaling_group.test:\n    instances: 15\n";
        let r = price(
            "aws_autoscaling_group",
            json!({"desired_capacity": 2}),
            "us-east-1",
            Some(usage),
        );
        let hours = r
            .all_components()
            .into_iter()
            .find(|(n, _)| n.starts_with("Instance usage"))
            .map(|(_, c)| c.monthly_quantity)
            .unwrap();
        assert_eq!(hours, Some(dec!(10950)));
    }
}

#[cfg(test)]
mod tests {
    use crate::cost::ResourceCost;
    use crate::cost::testing::component;
    use crate::cost::{ComponentStatus, CostOptions, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};
    use std::path::Path;

    /// Prices the ASG `aws_autoscaling_group.app` in a plan with `others`
    /// (type, name, after) and the ASG's configuration `expressions`.
    fn price_asg(asg: Value, expressions: Value, others: &[(&str, &str, Value)]) -> ResourceCost {
        let mut changes = vec![json!({
            "address": "aws_autoscaling_group.app", "mode": "managed",
            "type": "aws_autoscaling_group", "name": "app",
            "change": {"actions": ["create"], "before": null, "after": asg}
        })];
        let mut config = vec![json!({
            "address": "aws_autoscaling_group.app", "mode": "managed",
            "type": "aws_autoscaling_group", "name": "app",
            "provider_config_key": "aws", "expressions": expressions
        })];
        for (t, n, after) in others {
            changes.push(json!({
                "address": format!("{t}.{n}"), "mode": "managed", "type": t, "name": n,
                "change": {"actions": ["create"], "before": null, "after": after}
            }));
            config.push(json!({"address": format!("{t}.{n}"), "mode": "managed",
                "type": t, "name": n, "provider_config_key": "aws"}));
        }
        let plan = json!({
            "format_version": "1.2",
            "resource_changes": changes,
            "configuration": {
                "provider_config": {"aws": {"name": "aws",
                    "expressions": {"region": {"constant_value": "us-east-1"}}}},
                "root_module": {"resources": config}
            }
        });
        let plan = parse_plan(plan.to_string().as_bytes(), Path::new("t.json")).unwrap();
        let project = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
        project
            .breakdown
            .resources
            .into_iter()
            .find(|r| r.name == "aws_autoscaling_group.app")
            .unwrap()
    }

    #[test]
    fn launch_template_type_and_disks_times_desired_capacity() {
        // t3.medium 0.0416 × 730 × 3 = 91.104
        // gp3 30 GB × 3 × 0.08 = 7.20
        // CPU credits: t3 defaults to unlimited, usage-based (no cost)
        let r = price_asg(
            json!({"desired_capacity": 3, "min_size": 1, "max_size": 5}),
            json!({"launch_template": [{"id": {"references":
                ["aws_launch_template.app.id", "aws_launch_template.app"]}}]}),
            &[(
                "aws_launch_template",
                "app",
                json!({"instance_type": "t3.medium", "block_device_mappings": [
                    {"device_name": "/dev/xvda", "ebs": [{"volume_size": 30, "volume_type": "gp3"}]}]}),
            )],
        );
        // Listed under the template's address, its disks by index (Infracost's
        // `autoscaling_group_test` golden names them so).
        let c = component(
            &r,
            "aws_launch_template.app: Instance usage (Linux/UNIX, on-demand, t3.medium)",
        );
        assert_eq!(c.monthly_cost, Some(dec!(91.104)));
        assert_eq!(
            component(
                &r,
                "aws_launch_template.app: block_device_mapping[0]: Storage (general purpose SSD, gp3)"
            )
            .monthly_cost,
            Some(dec!(7.20))
        );
        assert_eq!(
            component(&r, "aws_launch_template.app: CPU credits").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.monthly_cost, Some(dec!(98.304)));
    }

    #[test]
    fn launch_configuration_with_default_monitoring() {
        // min_size 2 (no desired_capacity): m5.large 0.096 × 730 × 2 = 140.16
        // detailed monitoring on by default: 7 × 2 × 0.30 = 4.20
        // root 20 GB gp2 × 2 × 0.10 = 4.00
        let r = price_asg(
            json!({"min_size": 2, "max_size": 4}),
            json!({"launch_configuration": {"references":
                ["aws_launch_configuration.app.name", "aws_launch_configuration.app"]}}),
            &[(
                "aws_launch_configuration",
                "app",
                json!({"instance_type": "m5.large",
                       "root_block_device": [{"volume_size": 20}]}),
            )],
        );
        assert_eq!(
            component(&r, "aws_launch_configuration.app: EC2 detailed monitoring").monthly_cost,
            Some(dec!(4.20))
        );
        assert_eq!(
            component(
                &r,
                "aws_launch_configuration.app: root_block_device: Storage (general purpose SSD, gp2)"
            )
            .monthly_cost,
            Some(dec!(4.00))
        );
        assert_eq!(r.monthly_cost, Some(dec!(148.36)));
    }

    #[test]
    fn mixed_instances_policy_prices_the_template_type() {
        // c6g.large 0.068 × 730 × 2 = 99.28; a template without
        // block_device_mappings lists no disk (the AMI's root is not in the
        // plan), as Infracost's golden shows `lt_mixed_instance_basic`.
        let r = price_asg(
            json!({"desired_capacity": 2, "min_size": 0,
                   "mixed_instances_policy": [{"launch_template": [{"launch_template_specification": [{}]}]}]}),
            json!({"mixed_instances_policy": [{"launch_template": [{"launch_template_specification": [
                {"launch_template_id": {"references": ["aws_launch_template.mixed.id", "aws_launch_template.mixed"]}}]}]}]}),
            &[(
                "aws_launch_template",
                "mixed",
                json!({"instance_type": "c6g.large"}),
            )],
        );
        assert_eq!(r.monthly_cost, Some(dec!(99.28)));
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("mixed_instances_policy"))
        );
    }

    #[test]
    fn unresolved_template_is_noted_not_zero() {
        let r = price_asg(
            json!({"desired_capacity": 2}),
            json!({"launch_template": [{"id": {"constant_value": "lt-0123"}}]}),
            &[],
        );
        assert_eq!(r.monthly_cost, None);
        assert_eq!(r.cost_components[0].status, ComponentStatus::NoPriceFound);
        assert!(r.metadata.notes.iter().any(|n| n.contains("not found")));
    }
}
