//! `google_cloud_run_v2_service`: CPU and memory allocation time, and
//! requests, priced as [`super::cloud_run`] says; this file reads the v2
//! layout:
//! - the first container's `resources.limits` give vCPUs (default 1) and
//!   memory (default 512Mi); `cpu_idle` (default true) means CPU is only
//!   allocated during requests (request-based billing);
//! - `scaling.min_instance_count` is the minimum instances that
//!   instance-based billing (`cpu_idle = false`) pays for all month.

use super::cloud_run::{self, Service};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let template = attrs.block("template");
    let resources = template
        .and_then(|t| t.block("containers"))
        .and_then(|c| c.block("resources"));
    let service = Service {
        cpu_limit: resources.and_then(|r| r.str("limits.cpu")),
        memory_limit: resources.and_then(|r| r.str("limits.memory")),
        request_based: resources.and_then(|r| r.bool("cpu_idle")).unwrap_or(true),
        min_instances: template.and_then(|t| t.decimal("scaling.0.min_instance_count")),
    };
    cloud_run::price(&service, ctx)
}

#[cfg(test)]
mod tests {
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
}
