//! What Cloud Run services of both APIs share (`google_cloud_run_service`,
//! v1, and `google_cloud_run_v2_service`): CPU and memory allocation time,
//! and requests, as Infracost prices them. Each type's file only reads its
//! own attribute layout into a [`Service`].
//! - vCPUs default to 1 and memory to 512Mi when the first container names
//!   no limits;
//! - request-based billing (CPU throttled / idle between requests, the
//!   default): seconds = `monthly_requests` × `average_request_duration_ms`
//!   ÷ `concurrent_requests_per_instance`, times vCPUs or GiB, plus the
//!   requests; without all three usage values the lines are usage-based;
//! - instance-based billing (CPU always allocated): seconds =
//!   `instance_hrs` (else 730 h) × 3,600 × the minimum instances (0.5 when
//!   the service names none, as Infracost assumes), times vCPUs or GiB;
//! - regions in Google's pricing tier 2 name their lines "(tier 2)" and bill
//!   request-based time at the tier-2 request-based rate.

use super::filter;
use crate::cost::{ComponentSpec, Ctx, Priced};
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

/// A Cloud Run service as its configuration describes it.
pub(super) struct Service<'a> {
    /// The first container's CPU limit (`1`, `2000m`), as written.
    pub cpu_limit: Option<&'a str>,
    /// The first container's memory limit (`512Mi`, `2Gi`), as written.
    pub memory_limit: Option<&'a str>,
    /// CPU only allocated while requests are served (request-based billing).
    pub request_based: bool,
    /// The minimum number of instances the service keeps, when it names one.
    pub min_instances: Option<Decimal>,
}

/// A Kubernetes quantity of bytes (`512Mi`, `2Gi`, `1G`, `1073741824`) in GiB.
pub(super) fn gib(quantity: &str) -> Option<Decimal> {
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
pub(super) fn vcpus(quantity: &str) -> Option<Decimal> {
    let q = quantity.trim();
    match q.strip_suffix('m') {
        Some(milli) => Decimal::from_str(milli).ok().map(|m| m / dec!(1000)),
        None => Decimal::from_str(q).ok(),
    }
}

/// The components of `service` in `ctx.region`.
pub(super) fn price(service: &Service, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let cpus = match service.cpu_limit {
        Some(c) => vcpus(c).unwrap_or_else(|| {
            p.note(format!(
                "cpu limit {c:?} is not a CPU quantity; 1 vCPU assumed"
            ));
            Decimal::ONE
        }),
        None => Decimal::ONE,
    };
    let memory = match service.memory_limit {
        Some(m) => gib(m).unwrap_or_else(|| {
            p.note(format!(
                "memory limit {m:?} is not a byte quantity; 512Mi assumed"
            ));
            dec!(0.5)
        }),
        None => dec!(0.5),
    };
    let request_based = service.request_based;
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
        let min_instances = service.min_instances.unwrap_or(dec!(0.5));
        let hours = ctx
            .usage
            .decimal("instance_hrs")
            .filter(|h| *h > Decimal::ZERO)
            .unwrap_or(dec!(730));
        p.mul(
            "instance_hrs × minimum instances",
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
    use rust_decimal_macros::dec;

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
