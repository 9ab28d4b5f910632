//! `google_compute_router_nat`: Cloud NAT, billed per VM using the gateway
//! (an hourly charge counted for at most 32 VMs) and per GB processed, both
//! from the usage file (`assigned_vms`, `monthly_data_processed_gb`), as
//! Infracost prices it. With no VMs given the per-VM line is left out, as
//! Infracost leaves out a zero quantity; data processed is usage-based.

use super::filter;
use crate::cost::Attrs;
use crate::cost::{ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

/// Google bills the per-VM uptime charge for at most 32 VMs per gateway.
const BILLED_VMS_AT_MOST: Decimal = Decimal::from_parts(32, 0, 0, false, 0);

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let nat = |description: &'static str, unit: &'static str| {
        filter("Compute Engine", "Network", ctx.region, unit, "on_demand")
            .attr("description", description)
    };
    match ctx.usage.decimal("assigned_vms") {
        Some(vms) if vms > Decimal::ZERO => {
            let billed = vms.min(BILLED_VMS_AT_MOST);
            if vms > BILLED_VMS_AT_MOST {
                p.note(format!(
                    "{vms} VMs assigned; Cloud NAT bills the uptime of at most 32"
                ));
            }
            p.push(ComponentSpec::hourly(
                "Assigned VMs (first 32)",
                "VM-hours",
                billed,
                nat("NAT Gateway: Uptime charge", "Hrs"),
            ));
        }
        _ => {}
    }
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        nat("NAT Gateway: Data processing charge", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const AT: &str = "google_compute_router_nat.test";

    #[test]
    fn vms_are_billed_up_to_32_and_data_by_the_gb() {
        // 40 VMs → 32 billed: 32 × 730 h = 23,360 VM-hours × $0.0014 = $32.704;
        // 1,000 GB × $0.045 = $45.00
        let usage = format!(
            "version: 0.1\nresource_usage:\n  {AT}:\n    assigned_vms: 40\n    monthly_data_processed_gb: 1000\n"
        );
        let r = price(
            "google_compute_router_nat",
            json!({"region": "us-central1"}),
            "us-central1",
            Some(&usage),
        );
        let vms = component(&r, "Assigned VMs (first 32)");
        assert_eq!(vms.monthly_quantity, Some(dec!(23360)));
        assert_eq!(vms.monthly_cost, Some(dec!(32.704)));
        assert_eq!(
            component(&r, "Data processed").monthly_cost,
            Some(dec!(45.000))
        );
        // 4 VMs: 2,920 VM-hours × $0.0014 = $4.088
        let usage = format!("version: 0.1\nresource_usage:\n  {AT}:\n    assigned_vms: 4\n");
        let r = price(
            "google_compute_router_nat",
            json!({"region": "us-central1"}),
            "us-central1",
            Some(&usage),
        );
        assert_eq!(
            component(&r, "Assigned VMs (first 32)").monthly_cost,
            Some(dec!(4.088))
        );
    }

    #[test]
    fn without_usage_only_data_processed_shows_and_is_usage_based() {
        let r = price(
            "google_compute_router_nat",
            json!({"region": "us-central1"}),
            "us-central1",
            None,
        );
        assert_eq!(r.cost_components.len(), 1);
        let c = component(&r, "Data processed");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.045)));
        assert_eq!(r.monthly_cost, None);
    }
}
