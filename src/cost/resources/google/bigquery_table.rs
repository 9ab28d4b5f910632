//! `google_bigquery_table`: storage and ingestion, all from the usage file,
//! with Infracost's component names and keys:
//! - active and long-term (logical) storage per GB
//!   (`monthly_active_logical_storage_gb`, `monthly_long_term_logical_storage_gb`,
//!   or Infracost's earlier `monthly_active_storage_gb`,
//!   `monthly_long_term_storage_gb`);
//! - streaming inserts per MB (`monthly_streaming_inserts_mb`);
//! - the Storage Write API per GB and Read API per TB
//!   (`monthly_storage_write_api_gb`, `monthly_storage_read_api_tb`), billed
//!   by multi-region: `us` for US regions, `europe` for European ones; tables
//!   elsewhere have no such lines, as in Infracost.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;

/// The multi-region the Storage API bills a region's tables in.
fn storage_api_location(region: &str) -> Option<&'static str> {
    let region = region.to_ascii_lowercase();
    if region.starts_with("us") {
        Some("us")
    } else if region.starts_with("europe") {
        Some("europe")
    } else {
        None
    }
}

fn bq(
    service: &'static str,
    region: &str,
    description: &'static str,
    unit: &'static str,
) -> PriceFilter {
    filter(service, "ApplicationServices", region, unit, "on_demand")
        .attr("description", description)
}

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let u = |key: &str| ctx.usage.decimal(key);
    // Infracost's keys name logical storage; its earlier ones did not.
    let either = |key: &str, older: &str| u(key).or_else(|| u(older));
    p.push(ComponentSpec::usage(
        "Active storage",
        "GB",
        either(
            "monthly_active_logical_storage_gb",
            "monthly_active_storage_gb",
        ),
        bq("BigQuery", ctx.region, "Active Logical Storage", "GB-Mo"),
    ));
    p.push(ComponentSpec::usage(
        "Long-term storage",
        "GB",
        either(
            "monthly_long_term_logical_storage_gb",
            "monthly_long_term_storage_gb",
        ),
        bq("BigQuery", ctx.region, "Long Term Logical Storage", "GB-Mo"),
    ));
    p.push(ComponentSpec::usage(
        "Streaming inserts",
        "MB",
        u("monthly_streaming_inserts_mb"),
        bq("BigQuery", ctx.region, "Streaming Insert", "MB"),
    ));
    if let Some(location) = storage_api_location(ctx.region) {
        p.push(ComponentSpec::usage(
            "Storage write API",
            "GB",
            u("monthly_storage_write_api_gb"),
            bq(
                "BigQuery Storage API",
                location,
                "BigQuery Storage API - Write",
                "GB",
            ),
        ));
        p.push(ComponentSpec::usage(
            "Storage read API",
            "TB",
            u("monthly_storage_read_api_tb"),
            bq(
                "BigQuery Storage API",
                location,
                "BigQuery Storage API - Read",
                "TB",
            ),
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

    const USAGE: &str = "version: 0.1\nresource_usage:\n  google_bigquery_table.test:\n    monthly_active_logical_storage_gb: 1000\n    monthly_long_term_logical_storage_gb: 1000\n    monthly_streaming_inserts_mb: 1000\n    monthly_storage_write_api_gb: 1000\n    monthly_storage_read_api_tb: 1000\n";

    #[test]
    fn a_us_table_bills_storage_inserts_and_the_storage_api() {
        // 1,000 GB × $0.023 = $23; long-term 1,000 × $0.016 = $16;
        // 1,000 MB × $0.00005 = $0.05; write 1,000 GB × $0.025 = $25; read 1,000 TB × $1.10
        let r = price(
            "google_bigquery_table",
            json!({"table_id": "t"}),
            "us-central1",
            Some(USAGE),
        );
        assert_eq!(
            component(&r, "Active storage").monthly_cost,
            Some(dec!(23.000))
        );
        assert_eq!(
            component(&r, "Long-term storage").monthly_cost,
            Some(dec!(16.000))
        );
        assert_eq!(
            component(&r, "Streaming inserts").monthly_cost,
            Some(dec!(0.05))
        );
        assert_eq!(
            component(&r, "Storage write API").monthly_cost,
            Some(dec!(25.000))
        );
        assert_eq!(
            component(&r, "Storage read API").monthly_cost,
            Some(dec!(1100.00))
        );
        // the five lines of Infracost's golden and no others: 23 + 16 + 0.05 + 25 + 1,100
        assert_eq!(r.cost_components.len(), 5);
        assert_eq!(r.monthly_cost, Some(dec!(1164.05)));
    }

    #[test]
    fn the_older_usage_keys_name_the_same_storage() {
        // Infracost's earlier keys, monthly_active_storage_gb / monthly_long_term_storage_gb:
        // 10 GB × $0.023 = $0.23; 10 GB × $0.016 = $0.16
        let usage = "version: 0.1\nresource_usage:\n  google_bigquery_table.test:\n    monthly_active_storage_gb: 10\n    monthly_long_term_storage_gb: 10\n";
        let r = price(
            "google_bigquery_table",
            json!({"table_id": "t"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Active storage").monthly_cost,
            Some(dec!(0.230))
        );
        assert_eq!(
            component(&r, "Long-term storage").monthly_cost,
            Some(dec!(0.160))
        );
        let none = price(
            "google_bigquery_table",
            json!({"table_id": "t"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&none, "Active storage").status,
            ComponentStatus::UsageMissing
        );
    }

    #[test]
    fn outside_the_us_and_europe_there_is_no_storage_api_line() {
        let r = price(
            "google_bigquery_table",
            json!({"table_id": "t"}),
            "asia-southeast1",
            None,
        );
        let names: Vec<&str> = r.cost_components.iter().map(|c| c.name.as_str()).collect();
        assert!(
            !names.contains(&"Storage write API") && !names.contains(&"Storage read API"),
            "{names:?}"
        );
        assert_eq!(names.len(), 3);
    }
}
