//! `google_compute_instance`: the machine (predefined or custom), its boot
//! disk, local SSD scratch disks and GPUs.
//!
//! As Infracost prices it:
//! - Purchase option: `scheduling.preemptible = true` or
//!   `scheduling.provisioning_model = "SPOT"` → preemptible (spot) prices,
//!   else on-demand.
//! - Sustained-use discounts (on-demand only, on the monthly cost): N1, F1,
//!   G1, M1 and N1 custom types 30% at a full month, C2, N2 and N2D 20%,
//!   worked out from the hours run (usage key `monthly_hrs`, default 730) by
//!   Google's incremental rates per quarter of the month (N1 family: 100%,
//!   80%, 60%, 40%; N2 family: 100%, 86.78%, 73.3%, 60%); other families
//!   none. GPUs on on-demand VMs: 30% flat. The discount is shown in the
//!   price per hour; quantities stay in hours.
//! - Custom types (`custom-6-20480`, `n2-custom-…`, `…-ext`) bill vCPUs and
//!   GB of RAM separately; memory beyond 6.5 GB/vCPU (N1) or 8 GB/vCPU
//!   (others) on `-ext` types is extended memory. E2 custom types are not
//!   priced (as Infracost) and say so.
//! - Boot disk (`boot_disk.initialize_params`): type default `pd-standard`,
//!   size default 10 GB. Each `scratch_disk` is a 375 GB local SSD.

use super::compute_disk::disk_component;
use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const DEFAULT_BOOT_DISK_GB: Decimal = dec!(10);
const LOCAL_SSD_GB: Decimal = dec!(375);
const GPU_SUSTAINED_USE_DISCOUNT: Decimal = dec!(0.3);

/// Google's incremental sustained-use rates per quarter of the month.
const SUD_N1: [Decimal; 4] = [dec!(1), dec!(0.8), dec!(0.6), dec!(0.4)];
const SUD_N2: [Decimal; 4] = [dec!(1), dec!(0.8678), dec!(0.733), dec!(0.6)];

/// On-demand or preemptible, as the provider's `scheduling` block says.
pub(crate) fn purchase_option(attrs: &Attrs) -> &'static str {
    let spot = attrs.bool("scheduling.0.preemptible") == Some(true)
        || attrs
            .str("scheduling.0.provisioning_model")
            .is_some_and(|m| m.eq_ignore_ascii_case("spot"));
    if spot { "preemptible" } else { "on_demand" }
}

fn label(purchase_option: &str) -> &'static str {
    if purchase_option == "preemptible" {
        "preemptible"
    } else {
        "on-demand"
    }
}

/// The fraction of the list price paid after sustained-use discounts for a
/// machine family running `hours` of the month (1 = no discount).
pub(crate) fn sustained_use_factor(family: &str, purchase_option: &str, hours: Decimal) -> Decimal {
    if purchase_option != "on_demand" || hours <= Decimal::ZERO {
        return Decimal::ONE;
    }
    let rates = match family {
        "c2" | "n2" | "n2d" => SUD_N2,
        "custom" | "n1" | "f1" | "g1" | "m1" => SUD_N1,
        _ => return Decimal::ONE,
    };
    let quarter = HOURS_PER_MONTH / dec!(4);
    let mut left = hours.min(HOURS_PER_MONTH);
    let mut paid = Decimal::ZERO;
    for rate in rates {
        let h = left.min(quarter);
        paid += h * rate;
        left -= h;
        if left <= Decimal::ZERO {
            break;
        }
    }
    // Hours beyond a month (usage files may say so) are paid at the last rate.
    if hours > HOURS_PER_MONTH {
        paid += (hours - HOURS_PER_MONTH) * rates[3];
    }
    paid / hours
}

/// `hours × per_hour` shown in hours, billed at `factor` of the list price.
fn discounted(
    name: String,
    hours: Decimal,
    units: Decimal,
    factor: Decimal,
    f: crate::cost::PriceFilter,
) -> ComponentSpec {
    let factor = if factor.is_zero() {
        Decimal::ONE
    } else {
        factor
    };
    ComponentSpec::monthly(name, "hours", hours * units * factor, f).per(units * factor)
}

/// A custom machine type: (family label, core/ram description prefix, vCPUs, GB RAM, extended GB).
struct Custom {
    family: String,
    prefix: String,
    cores: Decimal,
    ram_gb: Decimal,
    extended_gb: Decimal,
}

fn parse_custom(machine_type: &str) -> Option<Custom> {
    let (head, rest) = machine_type.split_once("custom-")?;
    let head = head.trim_end_matches('-');
    let mut parts = rest.split('-');
    let cores: Decimal = parts.next()?.parse().ok()?;
    let mem_mb: Decimal = parts.next()?.parse().ok()?;
    let extended = parts.next() == Some("ext");
    let family = if head.is_empty() {
        "N1".to_string()
    } else {
        head.to_ascii_uppercase()
    };
    let prefix = if family == "N1" {
        "Custom".to_string()
    } else if family.ends_with('D') {
        format!("{family} AMD Custom")
    } else {
        format!("{family} Custom")
    };
    let mut ram_gb = mem_mb / dec!(1024);
    let mut extended_gb = Decimal::ZERO;
    if extended {
        let ratio = if family == "N1" { dec!(6.5) } else { dec!(8) };
        let max = cores * ratio;
        if ram_gb > max {
            extended_gb = ram_gb - max;
            ram_gb = max;
        }
    }
    Some(Custom {
        family,
        prefix,
        cores,
        ram_gb: ram_gb.normalize(),
        extended_gb: extended_gb.normalize(),
    })
}

/// The machine's own components, `count` identical machines (node pools).
pub(crate) fn machine_components(
    machine_type: &str,
    purchase: &'static str,
    hours: Decimal,
    count: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> Vec<ComponentSpec> {
    let family = machine_type
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let factor = sustained_use_factor(&family, purchase, hours);
    let hours_all = hours * count;
    let lbl = label(purchase);
    if !machine_type.contains("custom") {
        let f = filter(
            "Compute Engine",
            "Compute Instance",
            ctx.region,
            "Hrs",
            purchase,
        )
        .attr("machineType", machine_type);
        return vec![discounted(
            format!("Instance usage (Linux/UNIX, {lbl}, {machine_type})"),
            hours_all,
            Decimal::ONE,
            factor,
            f,
        )];
    }
    if family == "e2" {
        p.note(format!(
            "{machine_type}: E2 custom machine types are not priced (Infracost does not price them either)"
        ));
        let f = filter("Compute Engine", "Compute", ctx.region, "Hrs", purchase)
            .attr("description", "E2 Custom Instance Core running");
        return vec![ComponentSpec::usage(
            format!("Custom instance (Linux/UNIX, {lbl}, {machine_type})"),
            "hours",
            None,
            f,
        )];
    }
    let Some(c) = parse_custom(machine_type) else {
        p.note(format!(
            "machine type {machine_type:?} is not a custom type driftcost can read (custom-<vCPUs>-<MB>[-ext])"
        ));
        return Vec::new();
    };
    let spot = if purchase == "preemptible" {
        "Spot Preemptible "
    } else {
        ""
    };
    let factor = sustained_use_factor(
        if c.family == "N1" { "custom" } else { &family },
        purchase,
        hours,
    );
    let part = |what: &str| {
        filter("Compute Engine", "Compute", ctx.region, "Hrs", purchase)
            .attr("description", format!("{spot}{} {what} running", c.prefix))
    };
    let mut out = vec![
        discounted(
            format!(
                "Custom instance CPU (Linux/UNIX, {lbl}, {} {} vCPUs)",
                c.family, c.cores
            ),
            hours_all,
            c.cores,
            factor,
            part("Instance Core"),
        ),
        discounted(
            format!(
                "Custom Instance RAM (Linux/UNIX, {lbl}, {} {} GB)",
                c.family, c.ram_gb
            ),
            hours_all,
            c.ram_gb,
            factor,
            part("Instance Ram"),
        ),
    ];
    if c.extended_gb > Decimal::ZERO {
        out.push(discounted(
            format!(
                "Custom Instance Extended RAM (Linux/UNIX, {lbl}, {} {} GB)",
                c.family, c.extended_gb
            ),
            hours_all,
            c.extended_gb,
            factor,
            filter("Compute Engine", "Compute", ctx.region, "Hrs", purchase).attr(
                "description",
                format!("{spot}{} Extended Instance Ram running", c.prefix),
            ),
        ));
    }
    out
}

/// GPU names as Infracost shows them and the SKU description prefix.
fn gpu(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "nvidia-tesla-t4" => ("NVIDIA Tesla T4", "Nvidia Tesla T4 GPU"),
        "nvidia-tesla-p4" => ("NVIDIA Tesla P4", "Nvidia Tesla P4 GPU"),
        "nvidia-tesla-v100" => ("NVIDIA Tesla V100", "Nvidia Tesla V100 GPU"),
        "nvidia-tesla-p100" => ("NVIDIA Tesla P100", "Nvidia Tesla P100 GPU"),
        "nvidia-tesla-k80" => ("NVIDIA Tesla K80", "Nvidia Tesla K80 GPU"),
        "nvidia-tesla-a100" => ("NVIDIA Tesla A100", "Nvidia Tesla A100 GPU"),
        "nvidia-l4" => ("NVIDIA L4", "Nvidia L4 GPU"),
        _ => return None,
    })
}

/// GPU components for the `guest_accelerator` blocks of `attrs`.
pub(crate) fn gpu_components(
    blocks: &[Attrs],
    purchase: &'static str,
    hours: Decimal,
    count: Decimal,
    ctx: &Ctx,
    p: &mut Priced,
) -> Vec<ComponentSpec> {
    let mut out = Vec::new();
    for b in blocks {
        let Some(kind) = b.str("type") else { continue };
        let n = b.decimal("count").unwrap_or(Decimal::ONE);
        if n.is_zero() {
            continue;
        }
        let Some((name, prefix)) = gpu(kind) else {
            p.note(format!("GPU type {kind:?} is not priced by driftcost"));
            continue;
        };
        let (description, factor) = if purchase == "preemptible" {
            (
                format!("{prefix} attached to Spot Preemptible VMs running"),
                Decimal::ONE,
            )
        } else {
            (
                format!("{prefix} running"),
                Decimal::ONE - GPU_SUSTAINED_USE_DISCOUNT,
            )
        };
        let f = filter("Compute Engine", "Compute", ctx.region, "Hrs", purchase)
            .attr("description", description);
        out.push(discounted(
            format!("{name} ({})", label(purchase)),
            hours * n * count,
            Decimal::ONE,
            factor,
            f,
        ));
    }
    out
}

/// Local SSD scratch disks, 375 GB each.
pub(crate) fn local_ssd(disks: Decimal, purchase: &str, ctx: &Ctx) -> ComponentSpec {
    let description = if purchase == "preemptible" {
        "SSD backed Local Storage attached to Spot Preemptible VMs"
    } else {
        "SSD backed Local Storage"
    };
    ComponentSpec::monthly(
        "Local SSD provisioned storage",
        "GB",
        LOCAL_SSD_GB * disks,
        filter(
            "Compute Engine",
            "Storage",
            ctx.region,
            "GB-Mo",
            "on_demand",
        )
        .attr("description", description),
    )
}

/// `machines/…/machineTypes/n1-standard-1` → `n1-standard-1`.
pub(crate) fn machine_type_name(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let Some(machine_type) = attrs.str("machine_type").map(machine_type_name) else {
        p.note("machine_type not known at plan time; the instance is not priced");
        return p;
    };
    let purchase = purchase_option(attrs);
    let hours = ctx
        .usage
        .decimal("monthly_hrs")
        .filter(|h| !h.is_zero())
        .unwrap_or(HOURS_PER_MONTH);
    let machine = machine_components(machine_type, purchase, hours, Decimal::ONE, ctx, &mut p);
    p.components.extend(machine);
    if let Some(init) = attrs.block("boot_disk.0.initialize_params.0") {
        let size = init.decimal("size").unwrap_or(DEFAULT_BOOT_DISK_GB);
        let kind = init.str("type").unwrap_or("pd-standard");
        p.push(disk_component(kind, Some(size), Decimal::ONE, ctx));
    }
    let scratch = attrs.len("scratch_disk");
    if scratch > 0 {
        p.push(local_ssd(Decimal::from(scratch), purchase, ctx));
    }
    let gpus = gpu_components(
        &attrs.blocks("guest_accelerator"),
        purchase,
        hours,
        Decimal::ONE,
        ctx,
        &mut p,
    );
    p.components.extend(gpus);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use serde_json::json;

    fn vm(machine: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut v = json!({
            "machine_type": machine,
            "zone": "us-central1-a",
            "boot_disk": [{"initialize_params": [{"image": "debian-cloud/debian-12"}]}]
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    }

    #[test]
    fn sustained_use_factors_by_family_and_hours() {
        // N1 family over a full month: (1 + 0.8 + 0.6 + 0.4) / 4 = 0.7
        assert_eq!(
            sustained_use_factor("n1", "on_demand", dec!(730)),
            dec!(0.7)
        );
        // N2 family: (1 + 0.8678 + 0.733 + 0.6) / 4 = 0.8002
        assert_eq!(
            sustained_use_factor("n2", "on_demand", dec!(730)),
            dec!(0.8002)
        );
        // Within the first quarter of the month: no discount.
        assert_eq!(
            sustained_use_factor("n1", "on_demand", dec!(100)),
            Decimal::ONE
        );
        // Half a month of N1: (182.5 × 1 + 182.5 × 0.8) / 365 = 0.9
        assert_eq!(
            sustained_use_factor("n1", "on_demand", dec!(365)),
            dec!(0.9)
        );
        assert_eq!(
            sustained_use_factor("e2", "on_demand", dec!(730)),
            Decimal::ONE
        );
        assert_eq!(
            sustained_use_factor("n1", "preemptible", dec!(730)),
            Decimal::ONE
        );
    }

    #[test]
    fn predefined_type_with_boot_disk_and_sud() {
        // f1-micro $0.0076/h × 730 h × 0.7 = $3.8836; 10 GB pd-standard × $0.04 = $0.40
        let r = price(
            "google_compute_instance",
            vm("f1-micro", json!({})),
            "us-central1",
            None,
        );
        let c = component(&r, "Instance usage (Linux/UNIX, on-demand, f1-micro)");
        assert_eq!(c.monthly_quantity, Some(dec!(730)));
        assert_eq!(c.monthly_cost, Some(dec!(3.8836)));
        assert_eq!(
            component(&r, "Standard provisioned storage (pd-standard)").monthly_cost,
            Some(dec!(0.40))
        );
    }

    #[test]
    fn monthly_hours_from_usage() {
        // 100 h of f1-micro: no discount yet, 100 × 0.0076 = $0.76
        let usage = "version: 0.1\nresource_usage:\n  google_compute_instance.test:\n    monthly_hrs: 100\n";
        let r = price(
            "google_compute_instance",
            vm("f1-micro", json!({})),
            "us-central1",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Linux/UNIX, on-demand, f1-micro)");
        assert_eq!(c.monthly_quantity, Some(dec!(100)));
        assert_eq!(c.monthly_cost, Some(dec!(0.76)));
    }

    #[test]
    fn preemptible_and_spot_use_spot_prices_without_discount() {
        // f1-micro preemptible $0.00219 × 730 = $1.5987
        for scheduling in [
            json!([{"preemptible": true}]),
            json!([{"provisioning_model": "SPOT"}]),
        ] {
            let r = price(
                "google_compute_instance",
                vm("f1-micro", json!({"scheduling": scheduling})),
                "us-central1",
                None,
            );
            let c = component(&r, "Instance usage (Linux/UNIX, preemptible, f1-micro)");
            assert_eq!(c.monthly_cost, Some(dec!(1.5987)));
        }
    }

    #[test]
    fn boot_disk_type_and_size_and_local_ssd() {
        // 40 GB pd-ssd × $0.17 = $6.80; 2 × 375 GB local SSD × $0.08 = $60.00
        let r = price(
            "google_compute_instance",
            json!({
                "machine_type": "f1-micro", "zone": "us-central1-a",
                "boot_disk": [{"initialize_params": [{"size": 40, "type": "pd-ssd"}]}],
                "scratch_disk": [{"interface": "SCSI"}, {"interface": "SCSI"}]
            }),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "SSD provisioned storage (pd-ssd)").monthly_cost,
            Some(dec!(6.80))
        );
        let ssd = component(&r, "Local SSD provisioned storage");
        assert_eq!(ssd.monthly_quantity, Some(dec!(750)));
        assert_eq!(ssd.monthly_cost, Some(dec!(60.00)));
    }

    #[test]
    fn gpus_get_a_flat_thirty_percent_on_demand() {
        // 4 × K80 × 730 h × $0.45 × 0.7 = $919.80; preemptible 4 × 730 × $0.1719 = $501.948
        let gpus = json!({"guest_accelerator": [{"type": "nvidia-tesla-k80", "count": 4}]});
        let r = price(
            "google_compute_instance",
            vm("n1-standard-16", gpus.clone()),
            "us-central1",
            None,
        );
        let c = component(&r, "NVIDIA Tesla K80 (on-demand)");
        assert_eq!(c.monthly_quantity, Some(dec!(2920)));
        assert_eq!(c.monthly_cost, Some(dec!(919.80)));
        let mut spot = gpus;
        spot["scheduling"] = json!([{"preemptible": true}]);
        let r = price(
            "google_compute_instance",
            vm("n1-standard-16", spot),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "NVIDIA Tesla K80 (preemptible)").monthly_cost,
            Some(dec!(501.948))
        );
        // L4 on a G2 (no machine discount): 730 h × $0.56 × 0.7 = $286.16
        let r = price(
            "google_compute_instance",
            vm(
                "g2-standard-4",
                json!({"guest_accelerator": [{"type": "nvidia-l4", "count": 1}]}),
            ),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "NVIDIA L4 (on-demand)").monthly_cost,
            Some(dec!(286.160))
        );
    }

    #[test]
    fn custom_machines_bill_vcpus_and_ram_at_their_own_prices() {
        // custom-6-20480 (N1): 6 × 730 × $0.03319 × 0.7 = $101.76054,
        // 20 × 730 × $0.004446 × 0.7 = $45.43812
        let r = price(
            "google_compute_instance",
            vm("custom-6-20480", json!({})),
            "us-central1",
            None,
        );
        let cpu = component(
            &r,
            "Custom instance CPU (Linux/UNIX, on-demand, N1 6 vCPUs)",
        );
        assert_eq!(cpu.monthly_quantity, Some(dec!(730)));
        assert_eq!(cpu.monthly_cost, Some(dec!(101.76054)));
        let ram = component(&r, "Custom Instance RAM (Linux/UNIX, on-demand, N1 20 GB)");
        assert_eq!(ram.monthly_cost, Some(dec!(45.43812)));
        // preemptible n2d-custom-4-20480: 4 × 730 × $0.006 = $17.52, 20 × 730 × $0.000803 = $11.7238
        let r = price(
            "google_compute_instance",
            vm(
                "n2d-custom-4-20480",
                json!({"scheduling": [{"preemptible": true}]}),
            ),
            "us-central1",
            None,
        );
        let cpu = component(
            &r,
            "Custom instance CPU (Linux/UNIX, preemptible, N2D 4 vCPUs)",
        );
        assert_eq!(cpu.monthly_cost, Some(dec!(17.520)));
        let ram = component(
            &r,
            "Custom Instance RAM (Linux/UNIX, preemptible, N2D 20 GB)",
        );
        assert_eq!(ram.monthly_cost, Some(dec!(11.7238)));
        // local SSD on a preemptible VM: 375 GB × $0.02429 = $9.10875
        let r = price(
            "google_compute_instance",
            vm(
                "f1-micro",
                json!({"scheduling": [{"preemptible": true}], "scratch_disk": [{"interface": "SCSI"}]}),
            ),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Local SSD provisioned storage").monthly_cost,
            Some(dec!(9.10875))
        );
    }

    #[test]
    fn custom_types_split_cpu_and_ram() {
        let c = parse_custom("custom-2-15360-ext").unwrap();
        // 15 GB on 2 vCPUs: 13 GB standard (6.5/vCPU), 2 GB extended
        assert_eq!(
            (c.cores, c.ram_gb, c.extended_gb),
            (dec!(2), dec!(13), dec!(2))
        );
        let c = parse_custom("n2d-custom-4-20480").unwrap();
        assert_eq!(c.prefix, "N2D AMD Custom");
        assert_eq!(c.ram_gb, dec!(20));
        let r = price(
            "google_compute_instance",
            vm("n2-custom-6-20480", json!({})),
            "us-central1",
            None,
        );
        let cpu = component(
            &r,
            "Custom instance CPU (Linux/UNIX, on-demand, N2 6 vCPUs)",
        );
        assert_eq!(cpu.monthly_quantity, Some(dec!(730)));
        assert_eq!(
            cpu.price_filter.attributes,
            vec![("description", "N2 Custom Instance Core running".to_string())]
        );
        component(&r, "Custom Instance RAM (Linux/UNIX, on-demand, N2 20 GB)");
    }

    #[test]
    fn e2_custom_is_not_priced_and_says_so() {
        let r = price(
            "google_compute_instance",
            vm("e2-custom-2-15360", json!({})),
            "us-central1",
            None,
        );
        let c = component(
            &r,
            "Custom instance (Linux/UNIX, on-demand, e2-custom-2-15360)",
        );
        assert_ne!(c.status, ComponentStatus::Priced);
        assert!(r.metadata.notes.iter().any(|n| n.contains("E2 custom")));
    }

    #[test]
    fn prices_differ_by_region() {
        // n1-standard-1 in europe-west4: $0.052292 × 730 × 0.7 = $26.7212…
        let r = price(
            "google_compute_instance",
            json!({"machine_type": "n1-standard-1", "zone": "europe-west4-a"}),
            "europe-west4",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(0.052292) * dec!(730) * dec!(0.7)));
    }
}
