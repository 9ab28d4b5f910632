//! `azurerm_data_factory`: the factory's own operations per 50K entities,
//! read/write (`monthly_read_write_operation_entities`) and monitoring
//! (`monthly_monitoring_operation_entities`), as Infracost prices them.
//! Its integration runtimes and pipelines are their own resources.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// A meter of Data Factory v2 sold under `sku` (`Cloud`, `Self Hosted`).
pub(super) fn meter(region: &str, sku: &str, unit: &'static str, meter: &str) -> PriceFilter {
    filter("Azure Data Factory v2", "Analytics", region, unit)
        .attr("productName", "Azure Data Factory v2")
        .attr("skuName", sku.to_string())
        .attr("meterName", meter.to_string())
}

/// What an integration runtime of `sku` bills besides compute: orchestration
/// per 1K activity runs (`monthly_orchestration_runs`), and data movement,
/// pipeline and external pipeline activity, one hour each per hour.
pub(super) fn runtime_activity(p: &mut Priced, ctx: &Ctx, sku: &str) {
    p.push(ComponentSpec::usage(
        "Orchestration",
        "1k runs",
        ctx.usage
            .decimal("monthly_orchestration_runs")
            .map(|n| n / dec!(1000)),
        meter(
            ctx.region,
            sku,
            "1K",
            &format!("{sku} Orchestration Activity Run"),
        ),
    ));
    for (name, activity) in [
        ("Data movement activity", "Data Movement"),
        ("Pipeline activity", "Pipeline Activity"),
        ("External pipeline activity", "External Pipeline Activity"),
    ] {
        p.push(ComponentSpec::hourly(
            name,
            "hours",
            Decimal::ONE,
            meter(ctx.region, sku, "Hrs", &format!("{sku} {activity}")),
        ));
    }
}

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let meter = |m: &'static str| meter(ctx.region, "Cloud", "50K", m);
    for (name, key, m) in [
        (
            "Read/Write operations",
            "monthly_read_write_operation_entities",
            "Cloud Read Write Operations",
        ),
        (
            "Monitoring operations",
            "monthly_monitoring_operation_entities",
            "Cloud Monitoring Operations",
        ),
    ] {
        p.push(ComponentSpec::usage(
            name,
            "50k entities",
            ctx.usage.decimal(key).map(|n| n / dec!(50000)),
            meter(m),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn operations_per_50k_entities() {
        // 100,000 read/write = 2 × 50K × $0.50 = $1.00; 25,000 monitoring = 0.5 × $0.25 = $0.125
        let usage = "version: 0.1\nresource_usage:\n  azurerm_data_factory.test:\n    monthly_read_write_operation_entities: 100000\n    monthly_monitoring_operation_entities: 25000\n";
        let r = price(
            "azurerm_data_factory",
            json!({"location": "westeurope"}),
            "westeurope",
            Some(usage),
        );
        let c = component(&r, "Read/Write operations");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(2)), Some(dec!(1.00)))
        );
        let c = component(&r, "Monitoring operations");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(0.5)), Some(dec!(0.125)))
        );
        let r = price(
            "azurerm_data_factory",
            json!({"location": "westeurope"}),
            "westeurope",
            None,
        );
        let c = component(&r, "Monitoring operations");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.25)));
    }
}
