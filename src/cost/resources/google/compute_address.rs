//! `google_compute_address` and `google_compute_global_address`: a reserved
//! external IPv4 address, billed per hour at one of three rates, as Infracost
//! shows them:
//! - used by a standard VM (an instance's `access_config.nat_ip` is this
//!   address, by value or by reference in the configuration) → "IP address
//!   (standard VM)", Google's global "External IP Charge on a Standard VM";
//! - used by a preemptible/spot VM → "IP address (preemptible VM)";
//! - otherwise → "IP address (unused)", the regional "Static Ip Charge".
//!
//! Internal addresses (`address_type = "INTERNAL"`) cost nothing.

use super::compute_instance::purchase_option;
use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::plan::{Mode, without_index};
use rust_decimal::Decimal;

/// Whether a VM uses this address, and whether that VM is preemptible.
fn user_vm(attrs: &Attrs, ctx: &Ctx) -> Option<bool> {
    let plan = ctx.plan;
    let own_ip = attrs.str("address");
    let own_base = without_index(ctx.address);
    let own_module = ctx.resource.module_address.as_deref();
    for rc in plan
        .resource_changes
        .iter()
        .filter(|rc| rc.mode == Mode::Managed && rc.resource_type == "google_compute_instance")
    {
        let Some(values) = ctx.side_of(rc) else {
            continue;
        };
        let vm = Attrs::new(values);
        let by_value = own_ip.is_some_and(|ip| {
            vm.blocks("network_interface").iter().any(|ni| {
                ni.blocks("access_config")
                    .iter()
                    .any(|ac| ac.str("nat_ip") == Some(ip))
            })
        });
        let by_reference = rc.module_address.as_deref() == own_module
            && plan
                .configuration
                .as_ref()
                .and_then(|c| {
                    c.resource(
                        rc.module_address.as_deref(),
                        &rc.resource_type,
                        &rc.name,
                        false,
                    )
                })
                .is_some_and(|cfg| {
                    let local = own_base
                        .strip_prefix(own_module.unwrap_or(""))
                        .unwrap_or(own_base)
                        .trim_start_matches('.');
                    cfg.references(&["network_interface", "access_config", "nat_ip"])
                        .iter()
                        .any(|r| {
                            r.starts_with(local)
                                && (r.len() == local.len()
                                    || r[local.len()..].starts_with(['.', '[']))
                        })
                });
        if by_value || by_reference {
            return Some(purchase_option(&vm) == "preemptible");
        }
    }
    None
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    if attrs
        .str("address_type")
        .is_some_and(|t| t.eq_ignore_ascii_case("internal"))
    {
        p.note("internal address: no charge");
        return p;
    }
    let (name, region, description) = match user_vm(attrs, ctx) {
        Some(false) => (
            "IP address (standard VM)",
            "global",
            "External IP Charge on a Standard VM",
        ),
        Some(true) => (
            "IP address (preemptible VM)",
            "global",
            "External IP Charge on a Spot Preemptible VM",
        ),
        None => ("IP address (unused)", ctx.region, "Static Ip Charge"),
    };
    p.push(ComponentSpec::hourly(
        name,
        "hours",
        Decimal::ONE,
        filter("Compute Engine", "Network", region, "Hrs", "on_demand")
            .attr("description", description),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use crate::cost::{CostOptions, estimate};
    use crate::plan::parse_plan;
    use crate::pricing::PriceTable;
    use rust_decimal_macros::dec;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn an_unused_address_pays_the_regional_static_rate() {
        // 730 h × $0.01 = $7.30
        let r = price(
            "google_compute_address",
            json!({"region": "us-central1", "address_type": "EXTERNAL"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "IP address (unused)").monthly_cost,
            Some(dec!(7.30))
        );
    }

    #[test]
    fn internal_addresses_are_free() {
        let r = price(
            "google_compute_address",
            json!({"region": "us-central1", "address_type": "INTERNAL"}),
            "us-central1",
            None,
        );
        assert!(r.cost_components.is_empty());
        assert_eq!(r.monthly_cost, None);
    }

    fn plan_with_vm(scheduling: serde_json::Value) -> crate::plan::Plan {
        let p = json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "google_compute_address.ip", "mode": "managed", "type": "google_compute_address",
                 "name": "ip", "provider_name": "registry.terraform.io/hashicorp/google",
                 "change": {"actions": ["create"], "before": null, "after": {"region": "us-central1"}}},
                {"address": "google_compute_instance.vm", "mode": "managed", "type": "google_compute_instance",
                 "name": "vm", "provider_name": "registry.terraform.io/hashicorp/google",
                 "change": {"actions": ["create"], "before": null, "after": {
                    "machine_type": "f1-micro", "zone": "us-central1-a", "scheduling": scheduling,
                    "network_interface": [{"access_config": [{}]}]}}}
            ],
            "configuration": {"root_module": {"resources": [
                {"address": "google_compute_address.ip", "mode": "managed", "type": "google_compute_address", "name": "ip"},
                {"address": "google_compute_instance.vm", "mode": "managed", "type": "google_compute_instance", "name": "vm",
                 "expressions": {"network_interface": [{"access_config": [{"nat_ip": {"references": [
                    "google_compute_address.ip.address", "google_compute_address.ip"]}}]}]}}
            ]}}
        });
        parse_plan(p.to_string().as_bytes(), Path::new("t.json")).unwrap()
    }

    #[test]
    fn an_address_used_by_a_vm_pays_the_vm_rate() {
        // standard VM: 730 × $0.005 = $3.65; preemptible VM: 730 × $0.0025 = $1.825
        for (scheduling, name, cost) in [
            (json!([]), "IP address (standard VM)", dec!(3.65)),
            (
                json!([{"preemptible": true}]),
                "IP address (preemptible VM)",
                dec!(1.825),
            ),
        ] {
            let plan = plan_with_vm(scheduling);
            let project = estimate(&plan, PriceTable::embedded(), &CostOptions::default());
            let ip = project
                .breakdown
                .resources
                .iter()
                .find(|r| r.name == "google_compute_address.ip")
                .unwrap();
            assert_eq!(component(ip, name).monthly_cost, Some(cost));
        }
    }
}
