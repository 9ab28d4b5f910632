//! The load balancers' target proxies (`google_compute_target_{grpc, http,
//! https, ssl, tcp}_proxy`, `google_compute_region_target_{http, https}_proxy`),
//! as Infracost prices them, all from the usage file:
//! - proxy instances: `monthly_proxy_instances` (an average over the month)
//!   × 730 hours, at the forwarding rule minimum's hourly price;
//! - data processed: `monthly_data_processed_gb`, at the load balancers'
//!   data processing price.
//!
//! Prices are the proxy's region's (the provider's for global proxies).

use super::filter;
use crate::cost::component::HOURS_PER_MONTH;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let network = |description: &'static str, unit: &'static str| {
        filter("Compute Engine", "Network", ctx.region, unit, "on_demand")
            .attr("description", description)
    };
    let hours = ctx
        .usage
        .decimal("monthly_proxy_instances")
        .and_then(|n| p.mul("monthly_proxy_instances × 730 h", n, HOURS_PER_MONTH));
    p.push(ComponentSpec::usage(
        "Proxy instance",
        "hours",
        hours,
        network("Network Load Balancing: Forwarding Rule Minimum", "Hrs"),
    ));
    p.push(ComponentSpec::usage(
        "Data processed",
        "GB",
        ctx.usage.decimal("monthly_data_processed_gb"),
        network("Network Internal Load Balancing: Data Processing", "GB"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn proxy_instances_and_data_come_from_usage() {
        // 10.2 instances × 730 h = 7,446 h × $0.025 = $186.15; 100 GB × $0.008 = $0.80
        for t in [
            "google_compute_target_grpc_proxy",
            "google_compute_target_https_proxy",
            "google_compute_region_target_http_proxy",
        ] {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_proxy_instances: 10.2\n    monthly_data_processed_gb: 100\n"
            );
            let r = price(t, json!({"name": "proxy"}), "us-central1", Some(&usage));
            let proxy = component(&r, "Proxy instance");
            assert_eq!(proxy.monthly_quantity, Some(dec!(7446)), "{t}");
            assert_eq!(proxy.monthly_cost, Some(dec!(186.150)), "{t}");
            assert_eq!(
                component(&r, "Data processed").monthly_cost,
                Some(dec!(0.800)),
                "{t}"
            );
        }
    }

    #[test]
    fn without_usage_both_lines_are_usage_based() {
        let r = price(
            "google_compute_target_tcp_proxy",
            json!({"name": "proxy"}),
            "us-central1",
            None,
        );
        for name in ["Proxy instance", "Data processed"] {
            let c = component(&r, name);
            assert_eq!(c.status, ComponentStatus::UsageMissing, "{name}");
        }
        assert_eq!(component(&r, "Proxy instance").price, Some(dec!(0.025)));
    }
}
