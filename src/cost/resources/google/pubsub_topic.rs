//! `google_pubsub_topic`: message ingestion per TiB from the usage file
//! (`monthly_message_data_tb`), at Pub/Sub's global price.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Message ingestion data",
        "TiB",
        ctx.usage.decimal("monthly_message_data_tb"),
        filter(
            "Cloud Pub/Sub",
            "ApplicationServices",
            "global",
            "TiB",
            "on_demand",
        )
        .attr("description", "Message Delivery Basic"),
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
    fn ingestion_is_priced_per_tib_from_usage() {
        // 10 TiB × $40 = $400
        let usage = "version: 0.1\nresource_usage:\n  google_pubsub_topic.test:\n    monthly_message_data_tb: 10\n";
        let r = price(
            "google_pubsub_topic",
            json!({"name": "t"}),
            "europe-west1",
            Some(usage),
        );
        assert_eq!(r.monthly_cost, Some(dec!(400)));
        let r = price(
            "google_pubsub_topic",
            json!({"name": "t"}),
            "europe-west1",
            None,
        );
        assert_eq!(
            component(&r, "Message ingestion data").status,
            ComponentStatus::UsageMissing
        );
    }
}
