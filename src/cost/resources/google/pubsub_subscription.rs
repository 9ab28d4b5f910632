//! `google_pubsub_subscription`: message delivery per TiB
//! (`monthly_message_data_tb`), retained acknowledged messages
//! (`storage_gb`) and snapshot backlog (`snapshot_storage_gb`) per GiB-month,
//! all from the usage file at Pub/Sub's global prices.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let pubsub = |description: &'static str, unit: &'static str| {
        filter(
            "Cloud Pub/Sub",
            "ApplicationServices",
            "global",
            unit,
            "on_demand",
        )
        .attr("description", description)
    };
    p.push(ComponentSpec::usage(
        "Message delivery data",
        "TiB",
        ctx.usage.decimal("monthly_message_data_tb"),
        pubsub("Message Delivery Basic", "TiB"),
    ));
    p.push(ComponentSpec::usage(
        "Retained acknowledged message storage",
        "GiB",
        ctx.usage.decimal("storage_gb"),
        pubsub("Subscriptions retained acknowledged messages", "GB-Mo"),
    ));
    p.push(ComponentSpec::usage(
        "Snapshot message backlog storage",
        "GiB",
        ctx.usage.decimal("snapshot_storage_gb"),
        pubsub("Snapshots message backlog", "GB-Mo"),
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
    fn delivery_and_storage_come_from_usage() {
        // 10 TiB × $40 = $400; 20 GiB × $0.27 = $5.40; 30 GiB × $0.27 = $8.10
        let usage = "version: 0.1\nresource_usage:\n  google_pubsub_subscription.test:\n    monthly_message_data_tb: 10\n    storage_gb: 20\n    snapshot_storage_gb: 30\n";
        let r = price(
            "google_pubsub_subscription",
            json!({"name": "s"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(
            component(&r, "Message delivery data").monthly_cost,
            Some(dec!(400))
        );
        assert_eq!(
            component(&r, "Retained acknowledged message storage").monthly_cost,
            Some(dec!(5.40))
        );
        assert_eq!(
            component(&r, "Snapshot message backlog storage").monthly_cost,
            Some(dec!(8.10))
        );
        assert_eq!(r.monthly_cost, Some(dec!(413.50)));
    }

    #[test]
    fn without_usage_everything_is_usage_based() {
        let r = price(
            "google_pubsub_subscription",
            json!({"name": "s"}),
            "us-central1",
            None,
        );
        assert!(
            r.cost_components
                .iter()
                .all(|c| c.status == ComponentStatus::UsageMissing)
        );
        assert_eq!(r.monthly_cost, None);
    }
}
