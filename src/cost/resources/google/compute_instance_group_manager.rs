//! `google_compute_instance_group_manager` and
//! `google_compute_region_instance_group_manager`: `target_size` (default 1,
//! and at least the number of `google_compute_[region_]per_instance_config`s
//! naming the group) copies of the VM its `version.instance_template` describes, as Infracost
//! prices them: the machine (sustained-use discounts as for an instance),
//! each scratch disk (`type = "SCRATCH"`) as 375 GB of local SSD, the GPUs,
//! and every other template disk as a `disk[i]` part (`disk_type` default
//! pd-standard, `disk_size_gb` default 100 GB). Without the template in the
//! plan the group is not priced and says so.

use super::compute_disk::disk_component;
use super::compute_instance::{
    gpu_components, local_ssd, machine_components, machine_type_name, purchase_option,
};
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Size Infracost gives a template disk that does not set one.
const DEFAULT_TEMPLATE_DISK_GB: Decimal = dec!(100);

/// How many per-instance configs of this plan name this group in their
/// `instance_group_manager` (by configuration reference).
fn per_instance_configs(ctx: &Ctx) -> usize {
    let group = ctx.resource;
    let config_type = if group.resource_type.starts_with("google_compute_region_") {
        "google_compute_region_per_instance_config"
    } else {
        "google_compute_per_instance_config"
    };
    let own = group.address_without_index();
    ctx.plan
        .resource_changes
        .iter()
        .filter(|rc| rc.resource_type == config_type)
        .filter(|rc| {
            let side = if ctx.past {
                rc.change.before_value()
            } else {
                rc.change.after_value()
            };
            side.is_some_and(|v| !v.is_null())
        })
        .filter(|rc| {
            ctx.referenced_addresses(rc, "instance_group_manager")
                .contains(&own)
        })
        .count()
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(template) = ctx.referenced(&["version", "instance_template"]) else {
        p.note("the group's instance template is not in the plan; the group is not priced");
        return p;
    };
    let Some(machine_type) = template.str("machine_type").map(machine_type_name) else {
        p.note("the instance template's machine_type is not known at plan time; the group is not priced");
        return p;
    };
    let target = attrs.decimal("target_size").unwrap_or(Decimal::ONE);
    // Stateful per-instance configs name instances of the group: a group
    // has at least as many instances as it has configs.
    let size = target.max(Decimal::from(per_instance_configs(ctx)));
    let purchase = purchase_option(&template);
    let machine = machine_components(machine_type, purchase, HOURS_PER_MONTH, size, ctx, &mut p);
    p.components.extend(machine);
    let disks = template.blocks("disk");
    let (scratch, persistent): (Vec<&Attrs>, Vec<&Attrs>) = disks.iter().partition(|d| {
        d.str("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("SCRATCH"))
    });
    if !scratch.is_empty() {
        let n = Decimal::from(scratch.len());
        if let Some(total) = p.mul("scratch disks × target_size", n, size) {
            p.push(local_ssd(total, purchase, ctx));
        }
    }
    let gpus = gpu_components(
        &template.blocks("guest_accelerator"),
        purchase,
        HOURS_PER_MONTH,
        size,
        ctx,
        &mut p,
    );
    p.components.extend(gpus);
    for (i, disk) in persistent.iter().enumerate() {
        let kind = disk.str("disk_type").unwrap_or("pd-standard");
        let gb = disk
            .decimal("disk_size_gb")
            .unwrap_or(DEFAULT_TEMPLATE_DISK_GB);
        p.subresources.push((
            format!("disk[{i}]"),
            vec![disk_component(kind, Some(gb), size, ctx)],
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::super::testing::price_in_plan;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn group(
        t: &str,
        template: serde_json::Value,
        group: serde_json::Value,
    ) -> crate::cost::ResourceCost {
        let address = format!("{t}.g");
        price_in_plan(
            &[
                ("google_compute_instance_template.t", template),
                (address.as_str(), group),
            ],
            &[(
                address.as_str(),
                &["version", "instance_template"],
                "google_compute_instance_template.t",
            )],
            None,
            &address,
        )
    }

    #[test]
    fn a_group_is_its_template_times_the_target_size() {
        // f1-micro $0.0076 × 2,920 h (4 × 730) × 0.7 sustained use = $15.5344;
        // 1 scratch disk × 4 × 375 GB × $0.08 = $120; K80 2 × 4 × 730 h × $0.45 × 0.7 = $1,839.60;
        // boot disk 375 GB pd-ssd × 4 × $0.17 = $255
        let template = json!({"machine_type": "f1-micro", "disk": [
            {"boot": true, "disk_type": "pd-ssd", "disk_size_gb": 375, "type": "PERSISTENT"},
            {"type": "SCRATCH", "disk_type": "local-ssd", "disk_size_gb": 375}],
            "guest_accelerator": [{"type": "nvidia-tesla-k80", "count": 2}], "scheduling": [{}]});
        for t in [
            "google_compute_instance_group_manager",
            "google_compute_region_instance_group_manager",
        ] {
            let r = group(
                t,
                template.clone(),
                json!({"target_size": 4, "zone": "us-central1-a", "region": "us-central1"}),
            );
            let vm = component(&r, "Instance usage (Linux/UNIX, on-demand, f1-micro)");
            assert_eq!(vm.monthly_quantity, Some(dec!(2920)));
            assert_eq!(vm.monthly_cost.map(|c| c.round_dp(4)), Some(dec!(15.5344)));
            assert_eq!(
                component(&r, "Local SSD provisioned storage").monthly_quantity,
                Some(dec!(1500))
            );
            assert_eq!(
                component(&r, "NVIDIA Tesla K80 (on-demand)").monthly_cost,
                Some(dec!(1839.6000))
            );
            let disk = component(&r, "disk[0]: SSD provisioned storage (pd-ssd)");
            assert_eq!(disk.monthly_quantity, Some(dec!(1500)));
            assert_eq!(disk.monthly_cost, Some(dec!(255.00)));
        }
    }

    #[test]
    fn template_disks_default_to_100_gb_standard_and_one_instance() {
        // no target_size: 1 × 100 GB pd-standard × $0.04 = $4.00; second disk 50 GB pd-ssd: $8.50
        let template = json!({"machine_type": "f1-micro", "disk": [{}, {"disk_type": "pd-ssd", "disk_size_gb": 50}]});
        let r = group(
            "google_compute_instance_group_manager",
            template,
            json!({"zone": "us-central1-a"}),
        );
        assert_eq!(
            component(&r, "disk[0]: Standard provisioned storage (pd-standard)").monthly_cost,
            Some(dec!(4.00))
        );
        assert_eq!(
            component(&r, "disk[1]: SSD provisioned storage (pd-ssd)").monthly_cost,
            Some(dec!(8.50))
        );
        assert_eq!(
            component(&r, "Instance usage (Linux/UNIX, on-demand, f1-micro)").monthly_quantity,
            Some(dec!(730))
        );
    }

    #[test]
    fn without_its_template_a_group_is_not_priced() {
        let r = price(
            "google_compute_instance_group_manager",
            json!({"target_size": 3, "zone": "us-central1-a"}),
            "us-central1",
            None,
        );
        assert!(r.cost_components.is_empty() && r.subresources.is_empty());
        assert_eq!(r.monthly_cost, None);
    }

    #[test]
    fn per_instance_configs_of_the_group_count_when_they_name_more_instances() {
        // target_size 0 and one per-instance config naming the group: 1 × f1-micro
        // 730 h; a config of another group does not count
        let template = json!({"machine_type": "f1-micro", "disk": [
            {"boot": true, "disk_type": "pd-ssd", "disk_size_gb": 375}]});
        let group = json!({"target_size": 0, "zone": "us-central1-a"});
        let r = price_in_plan(
            &[
                ("google_compute_instance_template.t", template),
                ("google_compute_instance_group_manager.g", group.clone()),
                ("google_compute_instance_group_manager.other", group),
                (
                    "google_compute_per_instance_config.one",
                    json!({"name": "instance-1"}),
                ),
                (
                    "google_compute_per_instance_config.elsewhere",
                    json!({"name": "x"}),
                ),
            ],
            &[
                (
                    "google_compute_instance_group_manager.g",
                    &["version", "instance_template"],
                    "google_compute_instance_template.t",
                ),
                (
                    "google_compute_instance_group_manager.other",
                    &["version", "instance_template"],
                    "google_compute_instance_template.t",
                ),
                (
                    "google_compute_per_instance_config.one",
                    &["instance_group_manager"],
                    "google_compute_instance_group_manager.g",
                ),
                (
                    "google_compute_per_instance_config.elsewhere",
                    &["instance_group_manager"],
                    "google_compute_instance_group_manager.other",
                ),
            ],
            None,
            "google_compute_instance_group_manager.g",
        );
        assert_eq!(
            component(&r, "Instance usage (Linux/UNIX, on-demand, f1-micro)").monthly_quantity,
            Some(dec!(730))
        );
        assert_eq!(
            component(&r, "disk[0]: SSD provisioned storage (pd-ssd)").monthly_quantity,
            Some(dec!(375))
        );
    }
}
