//! `google_bigquery_dataset`: on-demand queries per TB scanned, from the
//! usage file (`monthly_queries_tb`), priced in the dataset's region as
//! Infracost prices it.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Queries (on-demand)",
        "TB",
        ctx.usage.decimal("monthly_queries_tb"),
        filter(
            "BigQuery",
            "ApplicationServices",
            ctx.region,
            "TB",
            "on_demand",
        )
        .attr("description", "Analysis"),
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
    fn queries_are_priced_per_tb_from_usage() {
        // 100.3 TB × $6.25 = $626.875
        let usage = "version: 0.1\nresource_usage:\n  google_bigquery_dataset.test:\n    monthly_queries_tb: 100.3\n";
        let r = price(
            "google_bigquery_dataset",
            json!({"dataset_id": "d"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(r.monthly_cost, Some(dec!(626.875)));
        let r = price(
            "google_bigquery_dataset",
            json!({"dataset_id": "d"}),
            "us-central1",
            None,
        );
        let c = component(&r, "Queries (on-demand)");
        assert_eq!(
            (c.status, c.price),
            (ComponentStatus::UsageMissing, Some(dec!(6.25)))
        );
    }
}
