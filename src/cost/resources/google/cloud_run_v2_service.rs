//! `google_cloud_run_v2_service`: CPU and memory allocation time, and
//! requests, as Infracost prices them:
//! - the first container's `resources.limits` give vCPUs (default 1) and
//!   memory (default 512Mi); `cpu_idle` (default true) means CPU is only
//!   allocated during requests (request-based billing);
//! - request-based: seconds = `monthly_requests` × `average_request_duration_ms`
//!   ÷ `concurrent_requests_per_instance`, times vCPUs or GiB, plus requests;
//!   without all three usage values the lines are usage-based;
//! - instance-based (`cpu_idle = false`): seconds = `instance_hrs` (else 730 h)
//!   × 3,600 × `scaling.min_instance_count` (default 0.5, as Infracost
//!   assumes), times vCPUs or GiB;
//! - regions in Google's pricing tier 2 name their lines "(tier 2)" and bill
//!   request-based time at the tier-2 request-based rate.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::str::FromStr;

/// Regions in Cloud Run's pricing tier 2 (Infracost's region tier mapping,
/// internal/resources/google/util.go).
const TIER_2: &[&str] = &[
    "africa-south1",
    "asia-east2",
    "asia-northeast3",
    "asia-southeast1",
    "asia-southeast2",
    "asia-south1",
    "asia-south2",
    "australia-southeast1",
    "australia-southeast2",
    "europe-central2",
    "europe-west10",
    "europe-west12",
    "europe-west2",
    "europe-west3",
    "europe-west6",
    "me-central1",
    "me-central2",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "southamerica-east1",
    "southamerica-west1",
    "us-west2",
    "us-west3",
    "us-west4",
];

/// A Kubernetes quantity of bytes (`512Mi`, `2Gi`, `1G`, `1073741824`) in GiB.
fn gib(quantity: &str) -> Option<Decimal> {
    let q = quantity.trim();
    let split = q.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(q.len());
    let (number, suffix) = q.split_at(split);
    let n = Decimal::from_str(number).ok()?;
    let factor = match suffix {
        "" => Decimal::ONE,
        "Ki" => dec!(1024),
        "Mi" => dec!(1048576),
        "Gi" => dec!(1073741824),
        "Ti" => dec!(1099511627776),
        "k" | "K" => dec!(1000),
        "M" => dec!(1000000),
        "G" => dec!(1000000000),
        "T" => dec!(1000000000000),
        _ => return None,
    };
    n.checked_mul(factor).map(|bytes| bytes / dec!(1073741824))
}

/// A CPU quantity (`1`, `2`, `1000m`) in vCPUs.
fn vcpus(quantity: &str) -> Option<Decimal> {
    let q = quantity.trim();
    match q.strip_suffix('m') {
        Some(milli) => Decimal::from_str(milli).ok().map(|m| m / dec!(1000)),
        None => Decimal::from_str(q).ok(),
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let template = attrs.block("template");
    let resources = template
        .and_then(|t| t.block("containers"))
        .and_then(|c| c.block("resources"));
    let limit = |key: &str| resources.and_then(|r| r.str(&format!("limits.{key}")));
    let cpus = match limit("cpu") {
        Some(c) => vcpus(c).unwrap_or_else(|| {
            p.note(format!(
                "cpu limit {c:?} is not a CPU quantity; 1 vCPU assumed"
            ));
            Decimal::ONE
        }),
        None => Decimal::ONE,
    };
    let memory = match limit("memory") {
        Some(m) => gib(m).unwrap_or_else(|| {
            p.note(format!(
                "memory limit {m:?} is not a byte quantity; 512Mi assumed"
            ));
            dec!(0.5)
        }),
        None => dec!(0.5),
    };
    let request_based = resources.and_then(|r| r.bool("cpu_idle")).unwrap_or(true);
    let tier_2 = TIER_2.contains(&ctx.region);
    let seconds = if request_based {
        let u = |k: &str| ctx.usage.decimal(k);
        match (
            u("monthly_requests"),
            u("average_request_duration_ms"),
            u("concurrent_requests_per_instance").filter(|c| !c.is_zero()),
        ) {
            (Some(n), Some(ms), Some(concurrency)) => p
                .mul(
                    "monthly_requests × average_request_duration_ms",
                    n,
                    ms / dec!(1000),
                )
                .map(|s| s / concurrency),
            _ => None,
        }
    } else {
        let min_instances = template
            .and_then(|t| t.decimal("scaling.0.min_instance_count"))
            .unwrap_or(dec!(0.5));
        let hours = ctx
            .usage
            .decimal("instance_hrs")
            .filter(|h| *h > Decimal::ZERO)
            .unwrap_or(dec!(730));
        p.mul(
            "instance_hrs × min_instance_count",
            hours * dec!(3600),
            min_instances,
        )
    };
    let run = |description: &'static str, region: &str, unit: &'static str| -> PriceFilter {
        filter(
            "Cloud Run",
            "ApplicationServices",
            region,
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    let (cpu_name, memory_name) = if tier_2 {
        (
            "CPU allocation time (tier 2)",
            "Memory allocation time (tier 2)",
        )
    } else {
        ("CPU allocation Time", "Memory allocation time")
    };
    let (cpu_sku, memory_sku) = if tier_2 && request_based {
        (
            "Services CPU Tier 2 (Request-based billing)",
            "Services Memory Tier 2 (Request-based billing)",
        )
    } else {
        (
            "Services CPU (Instance-based billing)",
            "Services Memory (Instance-based billing)",
        )
    };
    let times =
        |per: Decimal, p: &mut Priced, what: &str| seconds.and_then(|s| p.mul(what, s, per));
    let cpu_seconds = times(cpus, &mut p, "seconds × vCPUs");
    let gib_seconds = times(memory, &mut p, "seconds × GiB");
    p.push(ComponentSpec::usage(
        cpu_name,
        "vCPU-seconds",
        cpu_seconds,
        run(cpu_sku, ctx.region, "vCPU-s"),
    ));
    p.push(ComponentSpec::usage(
        memory_name,
        "GiB-seconds",
        gib_seconds,
        run(memory_sku, ctx.region, "GiB-s"),
    ));
    if request_based {
        p.push(ComponentSpec::usage(
            "Number of requests",
            "requests",
            ctx.usage.decimal("monthly_requests"),
            run("Requests", "global", "Count"),
        ));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::{gib, vcpus};
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_cloud_run_v2_service";

    #[test]
    fn request_based_time_comes_from_requests() {
        // 500,000 × 3.6 s ÷ 1 = 1,800,000 s × 1 vCPU × $0.0000336 = $60.48;
        // × 0.5 GiB = 900,000 GiB-s × $0.0000035 = $3.15; 500,000 × $0.0000004 = $0.20
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_v2_service.test:\n    monthly_requests: 500000\n    average_request_duration_ms: 3600\n    concurrent_requests_per_instance: 1\n";
        let after =
            json!({"location": "europe-west3", "template": [{"containers": [{"image": "hello"}]}]});
        let r = price(T, after, "europe-west3", Some(usage));
        let cpu = component(&r, "CPU allocation time (tier 2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1800000)));
        assert_eq!(cpu.monthly_cost, Some(dec!(60.48)));
        assert_eq!(
            component(&r, "Memory allocation time (tier 2)").monthly_cost,
            Some(dec!(3.15))
        );
        assert_eq!(
            component(&r, "Number of requests").monthly_cost,
            Some(dec!(0.20))
        );
    }

    #[test]
    fn instance_based_time_runs_all_month_on_the_minimum_instances() {
        // 730 h × 3,600 × 2 instances = 5,256,000 vCPU-s × $0.0000216 = $113.5296;
        // × 0.5 GiB = 2,628,000 GiB-s × $0.0000024 = $6.3072; no requests line
        let after = json!({"location": "europe-west3", "template": [{
            "containers": [{"resources": [{"limits": {"cpu": "1", "memory": "512Mi"}, "cpu_idle": false}]}],
            "scaling": [{"min_instance_count": 2}]}]});
        let r = price(T, after, "europe-west3", None);
        assert_eq!(
            component(&r, "CPU allocation time (tier 2)").monthly_cost,
            Some(dec!(113.5296))
        );
        assert_eq!(
            component(&r, "Memory allocation time (tier 2)").monthly_cost,
            Some(dec!(6.3072))
        );
        assert_eq!(r.cost_components.len(), 2);
    }

    #[test]
    fn tier_1_regions_use_the_plain_names_and_say_when_no_price_is_shipped() {
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_v2_service.test:\n    monthly_requests: 1000\n    average_request_duration_ms: 100\n    concurrent_requests_per_instance: 10\n";
        let after = json!({"location": "us-central1", "template": [{"containers": [{"resources": [{"limits": {"cpu": "2000m", "memory": "1Gi"}}]}]}]});
        let r = price(T, after, "us-central1", Some(usage));
        // 1,000 × 0.1 s ÷ 10 = 10 s × 2 vCPUs = 20 vCPU-s; × 1 GiB = 10 GiB-s
        let cpu = component(&r, "CPU allocation Time");
        assert_eq!(cpu.monthly_quantity, Some(dec!(20)));
        assert_eq!(cpu.status, ComponentStatus::NoPriceFound);
        assert_eq!(
            component(&r, "Memory allocation time").monthly_quantity,
            Some(dec!(10))
        );
        // without usage, request-based lines are usage-based
        let after = json!({"location": "europe-west3"});
        let r = price(T, after, "europe-west3", None);
        assert_eq!(
            component(&r, "CPU allocation time (tier 2)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn quantities_parse_as_kubernetes_writes_them() {
        assert_eq!(gib("512Mi"), Some(dec!(0.5)));
        assert_eq!(gib("2Gi"), Some(dec!(2)));
        assert_eq!(gib("1073741824"), Some(dec!(1)));
        assert_eq!(gib("lots"), None);
        assert_eq!(vcpus("1000m"), Some(dec!(1)));
        assert_eq!(vcpus("4"), Some(dec!(4)));
        assert_eq!(vcpus("x"), None);
    }
}
