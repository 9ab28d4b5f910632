//! `google_cloud_run_service` (Cloud Run Admin API v1): CPU and memory
//! allocation time, and requests, priced as [`super::cloud_run`] says; this
//! file reads the v1 (Knative) layout:
//! - `template.spec.containers[0].resources.limits` give vCPUs and memory;
//! - the annotation `run.googleapis.com/cpu-throttling = false` means CPU is
//!   always allocated (instance-based billing), and
//!   `autoscaling.knative.dev/minScale` the minimum instances paid for all
//!   month. Both are revision annotations, so the template's `metadata`
//!   is read first; the service's own `metadata`, where Infracost reads
//!   them, counts when the template names neither.

use super::cloud_run::{self, Service};
use crate::cost::{Attrs, Ctx, Priced};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

const CPU_THROTTLING: &str = "run.googleapis.com/cpu-throttling";
const MIN_SCALE: &str = "autoscaling.knative.dev/minScale";

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let template = attrs.block("template");
    let resources = template
        .and_then(|t| t.block("spec"))
        .and_then(|s| s.block("containers"))
        .and_then(|c| c.block("resources"));
    // Annotation keys hold dots, so they are looked up in the map itself.
    let annotation = |key: &str| {
        [
            template.and_then(|t| t.get("metadata.0.annotations")),
            attrs.get("metadata.0.annotations"),
        ]
        .into_iter()
        .flatten()
        .find_map(|map| map.get(key).filter(|v| !v.is_null()))
    };
    let mut notes = Vec::new();
    let request_based = match annotation(CPU_THROTTLING) {
        None => true,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.trim().eq_ignore_ascii_case("false") => false,
        Some(other) => {
            notes.push(format!(
                "annotation {CPU_THROTTLING} = {other} is neither true nor false; \
                 CPU throttling (request-based billing) assumed"
            ));
            true
        }
    };
    let min_instances = match annotation(MIN_SCALE) {
        None => None,
        Some(v) => {
            let read = match v {
                Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
                Value::String(s) => Decimal::from_str(s.trim()).ok(),
                _ => None,
            }
            .filter(|n| !n.is_sign_negative());
            if read.is_none() {
                notes.push(format!(
                    "annotation {MIN_SCALE} = {v} is not a number; 0.5 instances assumed"
                ));
            }
            read
        }
    };
    let service = Service {
        cpu_limit: resources.and_then(|r| r.str("limits.cpu")),
        memory_limit: resources.and_then(|r| r.str("limits.memory")),
        request_based,
        min_instances,
    };
    let mut p = cloud_run::price(&service, ctx);
    for n in notes {
        p.note(n);
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_cloud_run_service";

    fn service(limits: serde_json::Value) -> serde_json::Value {
        json!({"location": "europe-west3", "template": [{"spec": [{"containers": [{
            "image": "hello", "resources": [{"limits": limits}]}]}]}]})
    }

    #[test]
    fn throttled_cpu_bills_the_time_requests_take() {
        // 500,000 × 3.6 s ÷ 1 = 1,800,000 s × 1 vCPU × $0.0000336 = $60.48;
        // × 0.5 GiB = 900,000 GiB-s × $0.0000035 = $3.15; 500,000 × $0.0000004 = $0.20
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_service.test:\n    monthly_requests: 500000\n    average_request_duration_ms: 3600\n    concurrent_requests_per_instance: 1\n";
        let after = service(json!({"cpu": "1", "memory": "512Mi"}));
        let r = price(T, after, "europe-west3", Some(usage));
        let cpu = component(&r, "CPU allocation time (tier 2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1800000)));
        assert_eq!(cpu.monthly_cost, Some(dec!(60.48)));
        let memory = component(&r, "Memory allocation time (tier 2)");
        assert_eq!(memory.monthly_quantity, Some(dec!(900000)));
        assert_eq!(memory.monthly_cost, Some(dec!(3.15)));
        assert_eq!(
            component(&r, "Number of requests").monthly_cost,
            Some(dec!(0.20))
        );
        // without usage the same three lines are usage-based, never $0
        let r = price(T, service(json!({})), "europe-west3", None);
        assert_eq!(r.cost_components.len(), 3);
        for c in &r.cost_components {
            assert_eq!(c.status, ComponentStatus::UsageMissing, "{}", c.name);
        }
    }

    #[test]
    fn always_on_cpu_bills_half_an_instance_all_month_when_no_minimum_is_named() {
        // The service's metadata turns throttling off (as Infracost's test writes it):
        // 730 h × 3,600 × 0.5 = 1,314,000 vCPU-s × $0.0000216 = $28.3824;
        // × 0.5 GiB = 657,000 GiB-s × $0.0000024 = $1.5768; no requests line.
        let mut after = service(json!({}));
        after["metadata"] =
            json!([{"annotations": {"run.googleapis.com/cpu-throttling": "false"}}]);
        let r = price(T, after, "europe-west3", None);
        let cpu = component(&r, "CPU allocation time (tier 2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1314000)));
        assert_eq!(cpu.monthly_cost, Some(dec!(28.3824)));
        let memory = component(&r, "Memory allocation time (tier 2)");
        assert_eq!(memory.monthly_quantity, Some(dec!(657000)));
        assert_eq!(memory.monthly_cost, Some(dec!(1.5768)));
        assert_eq!(r.cost_components.len(), 2);
    }

    #[test]
    fn the_revision_annotations_name_the_minimum_instances_and_win_over_the_service() {
        // template metadata: always-on, minScale 2; 2 vCPUs, 1Gi; 100 h:
        // 100 × 3,600 × 2 = 720,000 s × 2 vCPUs = 1,440,000 vCPU-s × $0.0000216 = $31.104;
        // × 1 GiB = 720,000 GiB-s × $0.0000024 = $1.728
        let usage = "version: 0.1\nresource_usage:\n  google_cloud_run_service.test:\n    instance_hrs: 100\n";
        let mut after = service(json!({"cpu": "2000m", "memory": "1Gi"}));
        after["template"][0]["metadata"] = json!([{"annotations": {
            "run.googleapis.com/cpu-throttling": "false",
            "autoscaling.knative.dev/minScale": "2"}}]);
        after["metadata"] = json!([{"annotations": {"run.googleapis.com/cpu-throttling": "true"}}]);
        let r = price(T, after, "europe-west3", Some(usage));
        let cpu = component(&r, "CPU allocation time (tier 2)");
        assert_eq!(cpu.monthly_quantity, Some(dec!(1440000)));
        assert_eq!(cpu.monthly_cost, Some(dec!(31.104)));
        assert_eq!(
            component(&r, "Memory allocation time (tier 2)").monthly_cost,
            Some(dec!(1.728))
        );
        assert_eq!(r.cost_components.len(), 2);
    }

    #[test]
    fn an_unreadable_annotation_is_said_and_the_default_used() {
        let mut after = service(json!({}));
        after["metadata"] = json!([{"annotations": {
            "run.googleapis.com/cpu-throttling": "sometimes",
            "autoscaling.knative.dev/minScale": "many"}}]);
        after["location"] = json!("us-central1");
        let r = price(T, after, "us-central1", None);
        // request-based assumed: no quantity without usage, tier 1's names, a requests line
        assert_eq!(component(&r, "CPU allocation Time").monthly_quantity, None);
        assert_eq!(component(&r, "Number of requests").monthly_quantity, None);
        let notes = r.metadata.notes.join("\n");
        assert!(notes.contains("cpu-throttling"), "{notes}");
        assert!(notes.contains("minScale"), "{notes}");
    }
}
