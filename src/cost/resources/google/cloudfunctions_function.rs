//! `google_cloudfunctions_function` (1st gen): CPU time, memory time,
//! invocations and outbound data, all from the usage file
//! (`monthly_function_invocations`, `request_duration_ms`,
//! `monthly_outbound_data_gb`), as Infracost prices them:
//! - memory is `available_memory_mb` (default 256 MB); the CPU clock is the
//!   one Google pairs with it (128 MB → 200 MHz … 4,096 MB → 4,800 MHz);
//! - the duration is rounded up to the next 100 ms (default 100 ms);
//! - GHz-seconds = invocations × GHz × seconds, GB-seconds = invocations ×
//!   MB ÷ 1,024 × seconds.
//!
//! Without invocations CPU, memory and invocations are usage-based.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The CPU clock (MHz) Google allots to each memory size (MB).
fn cpu_mhz(memory_mb: Decimal) -> Option<Decimal> {
    [
        (dec!(128), dec!(200)),
        (dec!(256), dec!(400)),
        (dec!(512), dec!(800)),
        (dec!(1024), dec!(1400)),
        (dec!(2048), dec!(2400)),
        (dec!(4096), dec!(4800)),
    ]
    .into_iter()
    .find_map(|(mb, mhz)| (mb == memory_mb).then_some(mhz))
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let memory_mb = attrs.decimal("available_memory_mb").unwrap_or(dec!(256));
    let mhz = cpu_mhz(memory_mb);
    if mhz.is_none() {
        p.note(format!(
            "available_memory_mb {memory_mb} is not a 1st-gen size (128–4096 MB); CPU time not estimated"
        ));
    }
    let seconds = ctx
        .usage
        .decimal("request_duration_ms")
        .map_or(dec!(100), |ms| (ms / dec!(100)).ceil() * dec!(100))
        / dec!(1000);
    let invocations = ctx.usage.decimal("monthly_function_invocations");
    let per_call = |size: Option<Decimal>, p: &mut Priced, what: &str| {
        let (n, size) = (invocations?, size?);
        p.mul(what, n, size * seconds)
    };
    let ghz_seconds = per_call(
        mhz.map(|m| m / dec!(1000)),
        &mut p,
        "invocations × GHz-seconds",
    );
    let gb_seconds = per_call(
        Some(memory_mb / dec!(1024)),
        &mut p,
        "invocations × GB-seconds",
    );
    let functions = |description: &'static str, region: &str, unit: &'static str| {
        filter(
            "Cloud Functions",
            "ApplicationServices",
            region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    p.push(ComponentSpec::usage(
        "CPU",
        "GHz-seconds",
        ghz_seconds,
        functions("(1st Gen) CPU", ctx.region, "GHz-s"),
    ));
    p.push(ComponentSpec::usage(
        "Memory",
        "GB-seconds",
        gb_seconds,
        functions("(1st Gen) Memory", ctx.region, "GB-s"),
    ));
    p.push(ComponentSpec::usage(
        "Invocations",
        "invocations",
        invocations,
        functions("(1st Gen) Invocations", "global", "Count"),
    ));
    p.push(ComponentSpec::usage(
        "Outbound data transfer",
        "GB",
        ctx.usage.decimal("monthly_outbound_data_gb"),
        functions("(1st Gen) Network Data Transfer Out", ctx.region, "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_cloudfunctions_function";

    #[test]
    fn usage_gives_cpu_memory_invocations_and_egress() {
        // 256 MB → 0.4 GHz; 240 ms → 300 ms. 10M × 0.4 × 0.3 = 1,200,000 GHz-s × $0.00001 = $12;
        // 10M × 0.25 GB × 0.3 = 750,000 GB-s × $0.0000025 = $1.875;
        // 10M × $0.0000004 = $4; 100 GB × $0.12 = $12
        let usage = "version: 0.1\nresource_usage:\n  google_cloudfunctions_function.test:\n    request_duration_ms: 240\n    monthly_function_invocations: 10000000\n    monthly_outbound_data_gb: 100\n";
        let r = price(
            T,
            json!({"available_memory_mb": 256, "region": "us-central1"}),
            "us-central1",
            Some(usage),
        );
        let cpu = component(&r, "CPU");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1200000)));
        assert_eq!(cpu.monthly_cost, Some(dec!(12.00)));
        let mem = component(&r, "Memory");
        assert_eq!(mem.monthly_quantity, Some(dec!(750000)));
        assert_eq!(mem.monthly_cost, Some(dec!(1.875)));
        assert_eq!(component(&r, "Invocations").monthly_cost, Some(dec!(4.00)));
        assert_eq!(
            component(&r, "Outbound data transfer").monthly_cost,
            Some(dec!(12.00))
        );
    }

    #[test]
    fn defaults_are_256_mb_and_100_ms() {
        // 1M × 0.4 GHz × 0.1 s = 40,000 GHz-s; 1M × 0.25 GB × 0.1 s = 25,000 GB-s
        let usage = "version: 0.1\nresource_usage:\n  google_cloudfunctions_function.test:\n    monthly_function_invocations: 1000000\n";
        let r = price(
            T,
            json!({"region": "us-central1"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(component(&r, "CPU").monthly_quantity, Some(dec!(40000)));
        assert_eq!(component(&r, "Memory").monthly_quantity, Some(dec!(25000)));
        // 2,048 MB → 2.4 GHz: 1M × 2.4 × 0.1 = 240,000 GHz-s
        let r = price(
            T,
            json!({"available_memory_mb": 2048}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(component(&r, "CPU").monthly_quantity, Some(dec!(240000)));
    }

    #[test]
    fn without_invocations_it_is_usage_based() {
        let r = price(T, json!({"region": "us-central1"}), "us-central1", None);
        for name in ["CPU", "Memory", "Invocations", "Outbound data transfer"] {
            assert_eq!(
                component(&r, name).status,
                ComponentStatus::UsageMissing,
                "{name}"
            );
        }
        assert_eq!(component(&r, "CPU").price, Some(dec!(0.00001)));
        assert_eq!(r.monthly_cost, None);
    }

    #[test]
    fn an_unknown_memory_size_leaves_cpu_unestimated() {
        let usage = "version: 0.1\nresource_usage:\n  google_cloudfunctions_function.test:\n    monthly_function_invocations: 1000\n";
        let r = price(
            T,
            json!({"available_memory_mb": 300}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(component(&r, "CPU").status, ComponentStatus::UsageMissing);
        assert!(component(&r, "Memory").monthly_cost.is_some());
    }
}
