//! `azurerm_app_configuration`: the store and each of its `replica` blocks
//! per day (30 days a month), and requests beyond the daily 200K per replica
//! per 10K (`monthly_additional_requests`), as Infracost prices it. The
//! `free` sku (the provider's default) costs nothing and shows no components.

use super::{filter, title_case};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "App Configuration";
const FAMILY: &str = "Developer Tools";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let sku = attrs.str("sku").unwrap_or("free");
    if sku.is_empty() || sku.eq_ignore_ascii_case("free") {
        p.note("the free sku costs nothing");
        return p;
    }
    let sku = title_case(sku);
    let replicas = Decimal::from(attrs.len("replica"));
    let instances = Decimal::ONE + replicas;
    let name = match attrs.len("replica") {
        0 => "Instance".to_string(),
        1 => "Instance (1 replica)".to_string(),
        n => format!("Instance ({n} replicas)"),
    };
    p.push(
        ComponentSpec::monthly(
            name,
            "days",
            dec!(30) * instances,
            filter(SERVICE, FAMILY, ctx.region, "1/Day")
                .attr("meterName", format!("{sku} Instance")),
        )
        .per(instances),
    );
    p.push(ComponentSpec::usage(
        "Requests (over 200k/day per replica)",
        "10k requests",
        ctx.usage
            .decimal("monthly_additional_requests")
            .map(|n| n / dec!(10000)),
        filter(SERVICE, FAMILY, ctx.region, "10K")
            .attr("meterName", format!("{sku} Overage Operations")),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const USAGE: &str = "version: 0.1\nresource_usage:\n  azurerm_app_configuration.test:\n    monthly_additional_requests: 30000\n";

    fn store(replicas: usize, usage: Option<&str>) -> crate::cost::ResourceCost {
        let replica: Vec<_> = (0..replicas)
            .map(|i| json!({"name": format!("r{i}"), "location": "westus"}))
            .collect();
        price(
            "azurerm_app_configuration",
            json!({"location": "westeurope", "sku": "standard", "replica": replica}),
            "westeurope",
            usage,
        )
    }

    #[test]
    fn a_store_alone_is_thirty_days() {
        // 30 days × $1.20 = $36; 30,000 requests = 3 × 10K × $0.06 = $0.18
        let r = store(0, Some(USAGE));
        let c = component(&r, "Instance");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(30)), Some(dec!(36)))
        );
        let c = component(&r, "Requests (over 200k/day per replica)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(3)), Some(dec!(0.18)))
        );
    }

    #[test]
    fn replicas_are_billed_as_instances() {
        // 1 replica: 2 instances × 30 days × $1.20 = $72, shown as 30 days
        let r = store(1, None);
        let c = component(&r, "Instance (1 replica)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(30)), Some(dec!(72)))
        );
        // 3 replicas: 4 × 30 × $1.20 = $144
        let r = store(3, None);
        assert_eq!(
            component(&r, "Instance (3 replicas)").monthly_cost,
            Some(dec!(144))
        );
        let c = component(&r, "Requests (over 200k/day per replica)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.06)));
    }

    #[test]
    fn free_or_unset_sku_shows_nothing() {
        for sku in [json!("free"), json!(""), json!(null)] {
            let r = price(
                "azurerm_app_configuration",
                json!({"location": "westeurope", "sku": sku}),
                "westeurope",
                Some(USAGE),
            );
            assert!(r.all_components().is_empty(), "{sku}");
        }
    }
}
