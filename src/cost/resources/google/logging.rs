//! `google_logging_{project,folder,organization,billing_account}_bucket_config`
//! and `google_logging_{project,folder,organization,billing_account}_sink`:
//! Cloud Logging storage of the logs routed to the bucket or through the
//! sink, per GB from the usage file (`monthly_logging_data_gb`), at the price
//! beyond the free allotment, as Infracost prices all eight.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Logging data",
        "GB",
        ctx.usage.decimal("monthly_logging_data_gb"),
        filter(
            "Cloud Logging",
            "ApplicationServices",
            "global",
            "GB",
            "on_demand",
        )
        .attr("description", "Log Volume"),
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
    fn logging_data_is_priced_per_gb_from_usage() {
        // 100 GB × $0.50 = $50.00, for every kind of bucket config and sink
        for t in [
            "google_logging_project_bucket_config",
            "google_logging_folder_bucket_config",
            "google_logging_organization_bucket_config",
            "google_logging_billing_account_bucket_config",
            "google_logging_project_sink",
            "google_logging_folder_sink",
            "google_logging_organization_sink",
            "google_logging_billing_account_sink",
        ] {
            let usage = format!(
                "version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_logging_data_gb: 100\n"
            );
            let r = price(t, json!({"bucket_id": "b"}), "us-central1", Some(&usage));
            assert_eq!(r.monthly_cost, Some(dec!(50.00)), "{t}");
            let r = price(t, json!({"bucket_id": "b"}), "us-central1", None);
            assert_eq!(
                component(&r, "Logging data").status,
                ComponentStatus::UsageMissing
            );
        }
    }
}
