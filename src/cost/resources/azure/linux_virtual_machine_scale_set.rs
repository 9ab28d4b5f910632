//! `azurerm_linux_virtual_machine_scale_set`: each instance priced as a
//! Linux VM of size `sku` (hours, ultra disk reservation, OS disk), times
//! the instance count: usage key `instances`, else the `instances`
//! attribute. `azurerm_windows_virtual_machine_scale_set` prices through
//! [`price_scale_set`] too.

use super::linux_virtual_machine::vm_components;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced, Quantity};
use rust_decimal::Decimal;

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    price_scale_set(attrs, ctx, "Linux", false)
}

/// Prices `instances` VMs of a scale set's `sku`.
pub(crate) fn price_scale_set(attrs: &Attrs, ctx: &Ctx, os: &str, hybrid_benefit: bool) -> Priced {
    let Some(size) = attrs.str("sku") else {
        let mut p = Priced::default();
        p.note("sku not known at plan time; the scale set is not priced");
        return p;
    };
    let mut p = vm_components(attrs, size, ctx, os, hybrid_benefit);
    let instances = match ctx
        .usage
        .decimal("instances")
        .or_else(|| attrs.decimal("instances"))
    {
        Some(n) => n,
        None => {
            p.note("instances not known at plan time; priced as 1 instance");
            Decimal::ONE
        }
    };
    let mut too_large = Vec::new();
    let mut scale = |c: &mut ComponentSpec| {
        let mut times = |q: Decimal| {
            let product = q.checked_mul(instances);
            if product.is_none() {
                too_large.push(format!("{} × {instances} instances", c.name));
            }
            product
        };
        c.quantity = match c.quantity {
            Quantity::Hourly(h) => Quantity::Hourly(times(h).unwrap_or_default()),
            Quantity::Monthly(m) => Quantity::Monthly(times(m).unwrap_or_default()),
            Quantity::Usage(u) => Quantity::Usage(u.and_then(times)),
        };
    };
    p.components.iter_mut().for_each(&mut scale);
    p.subresources
        .iter_mut()
        .flat_map(|(_, cs)| cs.iter_mut())
        .for_each(&mut scale);
    p.too_large.extend(too_large);
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn scale_set() -> serde_json::Value {
        json!({"location": "eastus", "sku": "Basic_A2", "instances": 3,
               "os_disk": [{"caching": "ReadWrite", "storage_account_type": "Standard_LRS"}]})
    }

    #[test]
    fn every_instance_and_its_os_disk() {
        // 3 × 730 h × $0.079 = $173.01; 3 × S4 $1.536 = $4.608
        let r = price(
            "azurerm_linux_virtual_machine_scale_set",
            scale_set(),
            "eastus",
            None,
        );
        let c = component(&r, "Instance usage (Linux, pay as you go, Basic_A2)");
        assert_eq!(c.monthly_quantity, Some(dec!(2190)));
        assert_eq!(c.monthly_cost, Some(dec!(173.01)));
        let d = component(&r, "os_disk: Storage (S4, LRS)");
        assert_eq!(d.monthly_quantity, Some(dec!(3)));
        assert_eq!(d.monthly_cost, Some(dec!(4.608)));
        assert_eq!(
            component(&r, "os_disk: Disk operations").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn usage_instances_win_over_the_attribute() {
        // 4 × 730 h × $0.079 = $230.68
        let usage = "version: 0.1\nresource_usage:\n  azurerm_linux_virtual_machine_scale_set.test:\n    instances: 4\n";
        let r = price(
            "azurerm_linux_virtual_machine_scale_set",
            scale_set(),
            "eastus",
            Some(usage),
        );
        let c = component(&r, "Instance usage (Linux, pay as you go, Basic_A2)");
        assert_eq!(c.monthly_quantity, Some(dec!(2920)));
        assert_eq!(c.monthly_cost, Some(dec!(230.68)));
    }

    #[test]
    fn unknown_sku_is_not_priced_and_unknown_count_is_one() {
        let r = price(
            "azurerm_linux_virtual_machine_scale_set",
            json!({"location": "eastus", "instances": 2}),
            "eastus",
            None,
        );
        assert!(r.all_components().is_empty());
        let r = price(
            "azurerm_linux_virtual_machine_scale_set",
            json!({"location": "eastus", "sku": "Standard_B1s"}),
            "eastus",
            None,
        );
        // 1 × 730 h × $0.0104 = $7.592
        assert_eq!(
            component(&r, "Instance usage (Linux, pay as you go, Standard_B1s)").monthly_cost,
            Some(dec!(7.592))
        );
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("priced as 1 instance"))
        );
    }
}
