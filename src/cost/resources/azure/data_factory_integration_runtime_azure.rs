//! `azurerm_data_factory_integration_runtime_azure`, as Infracost prices it:
//! - data flow compute: `core_count` vCores (8 when unset) per hour at the
//!   `compute_type`'s rate (General when unset), shown as 730 hours;
//! - orchestration per 1K activity runs (`monthly_orchestration_runs`);
//! - data movement, pipeline and external pipeline activity, one hour each
//!   per hour, at the Azure (`Cloud`) runtime's rates.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Azure Data Factory v2";
const FAMILY: &str = "Analytics";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let cores = attrs.decimal("core_count").unwrap_or(dec!(8));
    let compute = attrs.str("compute_type").unwrap_or("General");
    let product = match compute {
        "General" => "General Purpose",
        "ComputeOptimized" => "Compute Optimized",
        "MemoryOptimized" => "Memory Optimized",
        other => {
            p.note(format!(
                "compute_type `{other}` is not General, ComputeOptimized or MemoryOptimized; data flow compute is not priced"
            ));
            ""
        }
    };
    if !product.is_empty() && cores > Decimal::ZERO {
        p.push(
            ComponentSpec::hourly(
                format!("Compute ({product}, {} vCores)", cores.normalize()),
                "hours",
                cores,
                filter(SERVICE, FAMILY, ctx.region, "Hrs")
                    .attr(
                        "productName",
                        format!("Azure Data Factory v2 Data Flow - {product}"),
                    )
                    .attr("skuName", "vCore")
                    .attr("meterName", "vCore"),
            )
            .per(cores),
        );
    }
    super::data_factory::runtime_activity(&mut p, ctx, "Cloud");
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    fn runtime(attrs: serde_json::Value, usage: Option<&str>) -> crate::cost::ResourceCost {
        price(
            "azurerm_data_factory_integration_runtime_azure",
            attrs,
            "westeurope",
            usage,
        )
    }

    #[test]
    fn defaults_are_eight_general_purpose_vcores() {
        // 8 vCores × 730 h × $0.268 = $1,565.12, shown as 730 hours;
        // 10,000 runs = 10 × 1K × $1 = $10
        let usage = "version: 0.1\nresource_usage:\n  azurerm_data_factory_integration_runtime_azure.test:\n    monthly_orchestration_runs: 10000\n";
        let r = runtime(json!({"location": "westeurope"}), Some(usage));
        let c = component(&r, "Compute (General Purpose, 8 vCores)");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(730)), Some(dec!(1565.12)))
        );
        let c = component(&r, "Orchestration");
        assert_eq!(
            (c.monthly_quantity, c.monthly_cost),
            (Some(dec!(10)), Some(dec!(10)))
        );
        // 730 h × $0.25 = $182.50; × $0.005 = $3.65; × $0.00025 = $0.1825
        for (name, cost) in [
            ("Data movement activity", dec!(182.50)),
            ("Pipeline activity", dec!(3.65)),
            ("External pipeline activity", dec!(0.1825)),
        ] {
            assert_eq!(component(&r, name).monthly_cost, Some(cost), "{name}");
        }
    }

    #[test]
    fn compute_types_and_core_counts() {
        // 16 × 730 × $0.1985 = $2,318.48; 272 × 730 × $0.34475 = $68,453.56
        let r = runtime(
            json!({"location": "westeurope", "compute_type": "ComputeOptimized", "core_count": 16}),
            None,
        );
        assert_eq!(
            component(&r, "Compute (Compute Optimized, 16 vCores)").monthly_cost,
            Some(dec!(2318.48))
        );
        assert_eq!(
            component(&r, "Orchestration").status,
            ComponentStatus::UsageMissing
        );
        let r = runtime(
            json!({"location": "westeurope", "compute_type": "MemoryOptimized", "core_count": 272}),
            None,
        );
        assert_eq!(
            component(&r, "Compute (Memory Optimized, 272 vCores)").monthly_cost,
            Some(dec!(68453.56))
        );
        let r = runtime(
            json!({"location": "westeurope", "compute_type": "Quantum"}),
            None,
        );
        assert!(r.metadata.notes.iter().any(|n| n.contains("Quantum")));
        assert_eq!(r.all_components().len(), 4);
    }
}
