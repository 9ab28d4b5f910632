//! What `azurerm_function_app`, `azurerm_linux_function_app` and
//! `azurerm_windows_function_app` share: how a function app bills, read from
//! the plan it runs on (`app_service_plan_id` or `service_plan_id`).
//!
//! - On an Elastic Premium plan (size EP1, EP2 or EP3, on an
//!   `azurerm_service_plan`, or on a legacy `azurerm_app_service_plan` of kind
//!   `elastic` or tier `ElasticPremium`): vCPU and memory per hour of the
//!   size (EP1 1 vCPU and 3.5 GB, EP2 2 and 7, EP3 4 and 14) for each of
//!   `instances` (usage, default 1).
//! - Otherwise, as Infracost bills it, on consumption: execution time in
//!   GB-seconds (`monthly_executions` × `execution_duration_ms`, at least
//!   100 ms, × `memory_mb` rounded up to 128 MB steps, at least 128) and
//!   executions per million, from usage.
//!
//! The plan is the one the configuration refers to, else (a refreshed plan,
//! where ids are known) the plan resource whose `id` is the attribute's value.

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SERVICE: &str = "Functions";
const FAMILY: &str = "Compute";

/// Usage-file keys every function app reads.
pub(super) const USAGE_KEYS: &[&str] = &[
    "monthly_executions",
    "execution_duration_ms",
    "memory_mb",
    "instances",
];

/// vCPUs and GB of memory of an Elastic Premium size.
fn premium_size(size: &str) -> Option<(Decimal, Decimal)> {
    match size.to_ascii_lowercase().as_str() {
        "ep1" => Some((dec!(1), dec!(3.5))),
        "ep2" => Some((dec!(2), dec!(7))),
        "ep3" => Some((dec!(4), dec!(14))),
        _ => None,
    }
}

/// The Elastic Premium size the app runs on, or `None` for consumption. An
/// `azurerm_service_plan` names its size in `sku_name`; a legacy
/// `azurerm_app_service_plan` in its `sku` block, with a kind and tier.
fn premium_plan(attrs: &Attrs, ctx: &Ctx, plan_key: &str) -> Option<String> {
    let plan = plan_of(attrs, ctx, plan_key)?;
    let size = match plan.str("sku_name") {
        Some(size) => size,
        None => {
            let elastic = plan
                .str("kind")
                .is_some_and(|k| k.eq_ignore_ascii_case("elastic"))
                || plan
                    .str("sku.0.tier")
                    .is_some_and(|t| t.eq_ignore_ascii_case("elasticpremium"));
            if !elastic {
                return None;
            }
            plan.str("sku.0.size")?
        }
    };
    premium_size(size).map(|_| size.to_ascii_uppercase())
}

/// The service plan `plan_key` names: by configuration reference, else by id.
fn plan_of<'p>(attrs: &Attrs, ctx: &Ctx<'_, 'p>, plan_key: &str) -> Option<Attrs<'p>> {
    if let Some(found) = ctx.referenced(&[plan_key]) {
        return Some(found);
    }
    let id = attrs.str(plan_key).filter(|s| !s.is_empty())?;
    ctx.find_resource(
        &["azurerm_service_plan", "azurerm_app_service_plan"],
        |v| v.get("id").and_then(|v| v.as_str()) == Some(id),
        None,
    )
}

pub(super) fn price(attrs: &Attrs, ctx: &Ctx, plan_key: &str) -> Priced {
    let mut p = Priced::default();
    if let Some(size) = premium_plan(attrs, ctx, plan_key) {
        let (vcpu, memory) = premium_size(&size).unwrap_or_default();
        let instances = ctx.usage.decimal("instances").unwrap_or(Decimal::ONE);
        let (Some(cpus), Some(gbs)) = (
            p.mul("instances × vCPUs", instances, vcpu),
            p.mul("instances × memory", instances, memory),
        ) else {
            return p;
        };
        p.push(
            ComponentSpec::hourly(
                format!("vCPU ({size})"),
                "vCPU",
                cpus,
                filter(SERVICE, FAMILY, ctx.region, "Hrs").attr("meterName", "vCPU Duration"),
            )
            .per(HOURS_PER_MONTH),
        );
        p.push(
            ComponentSpec::hourly(
                format!("Memory ({size})"),
                "GB",
                gbs,
                filter(SERVICE, FAMILY, ctx.region, "GB-Hrs").attr("meterName", "Memory Duration"),
            )
            .per(HOURS_PER_MONTH),
        );
        return p;
    }
    let executions = ctx.usage.decimal("monthly_executions");
    let gb_seconds = match (
        executions,
        ctx.usage.decimal("execution_duration_ms"),
        ctx.usage.decimal("memory_mb"),
    ) {
        (Some(runs), Some(ms), Some(mb)) => {
            let ms = ms.max(dec!(100));
            let mb = (mb.max(dec!(128)) / dec!(128)).ceil() * dec!(128);
            p.mul("monthly_executions × execution_duration_ms", runs, ms)
                .and_then(|run_ms| p.mul("× memory_mb", run_ms, mb))
                .map(|x| x / dec!(1000) / dec!(1024))
        }
        _ => None,
    };
    p.push(ComponentSpec::usage(
        "Execution time",
        "GB-seconds",
        gb_seconds,
        filter(SERVICE, FAMILY, ctx.region, "GB-Second").attr("meterName", "Execution Time"),
    ));
    p.push(ComponentSpec::usage(
        "Executions",
        "1M requests",
        executions.map(|n| n / dec!(1000000)),
        filter(SERVICE, FAMILY, ctx.region, "1M").attr("meterName", "Total Executions"),
    ));
    p
}
