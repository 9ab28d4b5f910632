//! `aws_cloudfront_distribution`: CloudFront bills by edge geography, not by
//! AWS region. Per geography: data transfer out to the internet in seven
//! volume tiers, data transfer out to origin, HTTP and HTTPS requests (one
//! subresource per geography with usage, the US one when none has). Per
//! distribution: field-level encryption requests (when a default cache
//! behavior sets `field_level_encryption_id`), real-time log lines (when
//! `logging_config` names a bucket), dedicated-IP custom SSL certificates
//! (`ssl_support_method = vip`), Origin Shield requests (when an origin
//! enables it) and invalidation paths (first 1,000 free).
//!
//! Usage (Infracost's keys): `monthly_data_transfer_to_internet_gb.<geo>`,
//! `monthly_data_transfer_to_origin_gb.<geo>`, `monthly_http_requests.<geo>`,
//! `monthly_https_requests.<geo>` (geo: `us`, `europe`, `south_africa`,
//! `south_america`, `japan`, `australia`, `asia_pacific`, `india`);
//! `monthly_shield_requests.<shield region>`, `monthly_invalidation_requests`,
//! `monthly_encryption_requests`, `monthly_log_lines`,
//! `custom_ssl_certificates` (default 1 when SSL is `vip`).

use crate::cost::{Attrs, ComponentSpec, Ctx, PriceFilter, Priced};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// (usage key, subresource name, price-list location)
const GEOGRAPHIES: &[(&str, &str, &str)] = &[
    ("us", "US, Mexico, Canada", "United States"),
    ("europe", "Europe, Israel", "Europe"),
    (
        "south_africa",
        "South Africa, Kenya, Middle East",
        "South Africa",
    ),
    ("south_america", "South America", "South America"),
    ("japan", "Japan", "Japan"),
    ("australia", "Australia, New Zealand", "Australia"),
    (
        "asia_pacific",
        "Hong Kong, Philippines, Asia Pacific",
        "Asia Pacific",
    ),
    ("india", "India", "India"),
];

/// AWS region → (Origin Shield usage key, region name before its parenthesis).
const SHIELD_REGIONS: &[(&str, &str, &str)] = &[
    ("us-east-1", "us", "US East"),
    ("us-east-2", "us", "US East"),
    ("us-west-1", "us", "US West"),
    ("us-west-2", "us", "US West"),
    ("eu-central-1", "europe", "EU"),
    ("eu-west-1", "europe", "EU"),
    ("eu-west-2", "europe", "EU"),
    ("eu-west-3", "europe", "EU"),
    ("eu-north-1", "europe", "EU"),
    ("eu-south-1", "europe", "EU"),
    ("ap-northeast-1", "japan", "Asia Pacific"),
    ("ap-northeast-2", "south_korea", "Asia Pacific"),
    ("ap-southeast-1", "singapore", "Asia Pacific"),
    ("ap-southeast-2", "australia", "Asia Pacific"),
    ("ap-southeast-3", "indonesia", "Asia Pacific"),
    ("ap-south-1", "india", "Asia Pacific"),
    ("sa-east-1", "south_america", "South America"),
];

pub(crate) const USAGE_KEYS: &[&str] = &[
    "monthly_data_transfer_to_internet_gb.us",
    "monthly_data_transfer_to_internet_gb.europe",
    "monthly_data_transfer_to_internet_gb.south_africa",
    "monthly_data_transfer_to_internet_gb.south_america",
    "monthly_data_transfer_to_internet_gb.japan",
    "monthly_data_transfer_to_internet_gb.australia",
    "monthly_data_transfer_to_internet_gb.asia_pacific",
    "monthly_data_transfer_to_internet_gb.india",
    "monthly_data_transfer_to_origin_gb.us",
    "monthly_data_transfer_to_origin_gb.europe",
    "monthly_data_transfer_to_origin_gb.south_africa",
    "monthly_data_transfer_to_origin_gb.south_america",
    "monthly_data_transfer_to_origin_gb.japan",
    "monthly_data_transfer_to_origin_gb.australia",
    "monthly_data_transfer_to_origin_gb.asia_pacific",
    "monthly_data_transfer_to_origin_gb.india",
    "monthly_http_requests.us",
    "monthly_http_requests.europe",
    "monthly_http_requests.south_africa",
    "monthly_http_requests.south_america",
    "monthly_http_requests.japan",
    "monthly_http_requests.australia",
    "monthly_http_requests.asia_pacific",
    "monthly_http_requests.india",
    "monthly_https_requests.us",
    "monthly_https_requests.europe",
    "monthly_https_requests.south_africa",
    "monthly_https_requests.south_america",
    "monthly_https_requests.japan",
    "monthly_https_requests.australia",
    "monthly_https_requests.asia_pacific",
    "monthly_https_requests.india",
    "monthly_shield_requests.us",
    "monthly_shield_requests.europe",
    "monthly_shield_requests.south_america",
    "monthly_shield_requests.japan",
    "monthly_shield_requests.australia",
    "monthly_shield_requests.singapore",
    "monthly_shield_requests.south_korea",
    "monthly_shield_requests.indonesia",
    "monthly_shield_requests.india",
    "monthly_invalidation_requests",
    "monthly_encryption_requests",
    "monthly_log_lines",
    "custom_ssl_certificates",
];

fn filter(family: &'static str, unit: &'static str) -> PriceFilter {
    PriceFilter::aws("AmazonCloudFront", family, "global", unit)
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let usage = |key: &str| ctx.usage.decimal(key);
    let behavior = attrs.block("default_cache_behavior");
    if behavior
        .and_then(|b| b.str("field_level_encryption_id"))
        .is_some()
    {
        p.push(
            ComponentSpec::usage(
                "Field level encryption requests",
                "10k requests",
                usage("monthly_encryption_requests"),
                // Infracost prices FLE requests at the Europe rate everywhere.
                filter("Request", "Requests")
                    .attr("usagetype", "Requests-FLE")
                    .attr("location", "Europe"),
            )
            .per(dec!(10000)),
        );
    }
    if attrs
        .block("logging_config")
        .and_then(|l| l.str("bucket"))
        .is_some()
    {
        p.push(
            ComponentSpec::usage(
                "Real-time log requests",
                "1M lines",
                usage("monthly_log_lines"),
                filter("Real-time Log", "Lines").attr("usagetype", "RealTimeLog-Lines"),
            )
            .per(dec!(1000000)),
        );
    }
    if attrs
        .block("viewer_certificate")
        .and_then(|v| v.str("ssl_support_method"))
        .is_some_and(|m| m.eq_ignore_ascii_case("vip"))
    {
        p.push(ComponentSpec::usage(
            "Dedicated IP custom SSLs",
            "certificates",
            Some(usage("custom_ssl_certificates").unwrap_or(Decimal::ONE)),
            filter("SSL Certificate", "Certificates").attr("usagetype", "SSL-Cert-Custom"),
        ));
    }
    let shield = attrs
        .blocks("origin")
        .into_iter()
        .filter_map(|o| o.block("origin_shield"))
        .find(|s| s.bool("enabled") == Some(true));
    if let Some(shield) = shield {
        let region = shield.str("origin_shield_region").unwrap_or(ctx.region);
        match SHIELD_REGIONS.iter().find(|(r, _, _)| *r == region) {
            Some((region, key, pretty)) => p.push(
                ComponentSpec::usage(
                    format!("Origin shield HTTP requests ({pretty} {region})"),
                    "10k requests",
                    usage(&format!("monthly_shield_requests.{key}")),
                    filter("Origin Shield", "Requests").attr("location", *key),
                )
                .per(dec!(10000)),
            ),
            None => p.note(format!(
                "Origin Shield in {region} is not priced by driftcost"
            )),
        }
    }
    p.push(
        ComponentSpec::usage(
            "Invalidation requests",
            "paths",
            usage("monthly_invalidation_requests"),
            filter("Invalidation", "Paths").attr("usagetype", "Invalidations"),
        )
        .tier_names(&[
            "Invalidation requests (first 1k)",
            "Invalidation requests (over 1k)",
        ]),
    );
    let with_usage: Vec<_> = GEOGRAPHIES
        .iter()
        .filter(|(key, _, _)| {
            [
                "monthly_data_transfer_to_internet_gb",
                "monthly_data_transfer_to_origin_gb",
                "monthly_http_requests",
                "monthly_https_requests",
            ]
            .iter()
            .any(|k| usage(&format!("{k}.{key}")).is_some())
        })
        .collect();
    let shown = if with_usage.is_empty() {
        vec![&GEOGRAPHIES[0]]
    } else {
        with_usage
    };
    for &(key, name, location) in shown {
        let transfer = |kind: &str| {
            filter("Data Transfer", "GB")
                .attr("transferType", kind)
                .attr("fromLocation", location)
        };
        let requests = |kind: &str| {
            filter("Request", "Requests")
                .attr("usagetype", kind)
                .attr("location", location)
        };
        let components = vec![
            ComponentSpec::usage(
                "Data transfer out to internet",
                "GB",
                usage(&format!("monthly_data_transfer_to_internet_gb.{key}")),
                transfer("CloudFront Outbound"),
            )
            .tier_names(&[
                "Data transfer out to internet (first 10TB)",
                "Data transfer out to internet (next 40TB)",
                "Data transfer out to internet (next 100TB)",
                "Data transfer out to internet (next 350TB)",
                "Data transfer out to internet (next 524TB)",
                "Data transfer out to internet (next 4PB)",
                "Data transfer out to internet (over 5PB)",
            ]),
            ComponentSpec::usage(
                "Data transfer out to origin",
                "GB",
                usage(&format!("monthly_data_transfer_to_origin_gb.{key}")),
                transfer("CloudFront to Origin"),
            ),
            ComponentSpec::usage(
                "HTTP requests",
                "10k requests",
                usage(&format!("monthly_http_requests.{key}")),
                requests("Requests-HTTP-Proxy"),
            )
            .per(dec!(10000)),
            ComponentSpec::usage(
                "HTTPS requests",
                "10k requests",
                usage(&format!("monthly_https_requests.{key}")),
                requests("Requests-HTTPS-Proxy"),
            )
            .per(dec!(10000)),
        ];
        p.subresources.push((name.to_string(), components));
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
    fn without_usage_only_the_us_geography_is_shown() {
        let r = price("aws_cloudfront_distribution", json!({}), "us-east-1", None);
        assert_eq!(r.cost_components.len(), 1);
        assert_eq!(r.subresources.len(), 1);
        assert_eq!(r.subresources[0].name, "US, Mexico, Canada");
        let c = component(
            &r,
            "US, Mexico, Canada: Data transfer out to internet (first 10TB)",
        );
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.085)));
        assert_eq!(
            component(&r, "Invalidation requests (first 1k)").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn europe_usage_across_all_seven_tiers_and_distribution_lines() {
        let usage = "version: 0.1\nresource_usage:\n  aws_cloudfront_distribution.test:\n    monthly_data_transfer_to_internet_gb:\n      europe: 22340000\n    monthly_data_transfer_to_origin_gb:\n      europe: 2234\n    monthly_https_requests:\n      europe: 223400\n    monthly_invalidation_requests: 12340\n    monthly_encryption_requests: 123400\n    monthly_log_lines: 12340000\n    custom_ssl_certificates: 12\n    monthly_shield_requests:\n      south_america: 323\n";
        let r = price(
            "aws_cloudfront_distribution",
            json!({"default_cache_behavior": [{"field_level_encryption_id": "fle"}],
                   "logging_config": [{"bucket": "logs.s3.amazonaws.com"}],
                   "viewer_certificate": [{"ssl_support_method": "vip"}],
                   "origin": [{"origin_shield": [{"enabled": true, "origin_shield_region": "sa-east-1"}]}]}),
            "us-east-1",
            Some(usage),
        );
        let eu = |n: &str| {
            component(
                &r,
                &format!("Europe, Israel: Data transfer out to internet ({n})"),
            )
            .monthly_cost
        };
        // 10,240 × $0.085 = $870.40; 40,960 × $0.08 = $3,276.80; 102,400 × $0.06 = $6,144;
        // 358,400 × $0.04 = $14,336; 536,576 × $0.03 = $16,097.28;
        // 4,194,304 × $0.025 = $104,857.60; 17,097,120 × $0.02 = $341,942.40.
        assert_eq!(eu("first 10TB"), Some(dec!(870.4)));
        assert_eq!(eu("next 40TB"), Some(dec!(3276.8)));
        assert_eq!(eu("next 100TB"), Some(dec!(6144)));
        assert_eq!(eu("next 350TB"), Some(dec!(14336)));
        assert_eq!(eu("next 524TB"), Some(dec!(16097.28)));
        assert_eq!(eu("next 4PB"), Some(dec!(104857.6)));
        assert_eq!(eu("over 5PB"), Some(dec!(341942.4)));
        // 2,234 GB × $0.02 = $44.68; 22.34 × 10k × $0.012 = $0.26808.
        assert_eq!(
            component(&r, "Europe, Israel: Data transfer out to origin").monthly_cost,
            Some(dec!(44.68))
        );
        assert_eq!(
            component(&r, "Europe, Israel: HTTPS requests").monthly_cost,
            Some(dec!(0.26808))
        );
        // Only the geography with usage is shown.
        assert_eq!(r.subresources.len(), 1);
        // 12.34 × $0.02 = $0.2468; 12.34 × $0.01 = $0.1234; 12 × $600 = $7,200;
        // 0.0323 × $0.016 = $0.0005168; 1,000 paths free, 11,340 × $0.005 = $56.70.
        assert_eq!(
            component(&r, "Field level encryption requests").monthly_cost,
            Some(dec!(0.2468))
        );
        assert_eq!(
            component(&r, "Real-time log requests").monthly_cost,
            Some(dec!(0.1234))
        );
        assert_eq!(
            component(&r, "Dedicated IP custom SSLs").monthly_cost,
            Some(dec!(7200))
        );
        assert_eq!(
            component(&r, "Origin shield HTTP requests (South America sa-east-1)").monthly_cost,
            Some(dec!(0.0005168))
        );
        assert_eq!(
            component(&r, "Invalidation requests (first 1k)").monthly_cost,
            Some(dec!(0))
        );
        assert_eq!(
            component(&r, "Invalidation requests (over 1k)").monthly_cost,
            Some(dec!(56.7))
        );
    }
}
