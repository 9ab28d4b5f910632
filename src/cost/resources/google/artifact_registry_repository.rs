//! `google_artifact_registry_repository`: stored artifacts per GB-month from
//! the usage file (`storage_gb`), at the one price Artifact Registry charges
//! in every location beyond the free 0.5 GB (as Infracost prices it).
//! Inter-region egress (`monthly_egress_data_transfer_gb`) is not priced
//! yet: when the usage file gives it, a note says so.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        filter(
            "Artifact Registry",
            "ApplicationServices",
            "global",
            "GB-Mo",
            "on_demand",
        )
        .attr("description", "Artifact Registry Storage"),
    ));
    if ctx.usage.has("monthly_egress_data_transfer_gb") {
        p.note("monthly_egress_data_transfer_gb: inter-region egress from Artifact Registry is not priced by driftcost yet");
    }
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_artifact_registry_repository";

    #[test]
    fn storage_is_priced_the_same_in_every_location() {
        // 150 GB × $0.10 = $15.00, a region or a multi-region alike
        let usage = "version: 0.1\nresource_usage:\n  google_artifact_registry_repository.test:\n    storage_gb: 150\n";
        for location in ["us-east1", "europe"] {
            let r = price(
                T,
                json!({"location": location, "format": "DOCKER"}),
                "us-east1",
                Some(usage),
            );
            assert_eq!(
                component(&r, "Storage").monthly_cost,
                Some(dec!(15.00)),
                "{location}"
            );
        }
    }

    #[test]
    fn without_usage_storage_is_usage_based_and_egress_is_named_as_unpriced() {
        let r = price(T, json!({"location": "us-east1"}), "us-east1", None);
        let c = component(&r, "Storage");
        assert_eq!(
            (c.status, c.price),
            (ComponentStatus::UsageMissing, Some(dec!(0.10)))
        );
        let usage = "version: 0.1\nresource_usage:\n  google_artifact_registry_repository.test:\n    monthly_egress_data_transfer_gb:\n      europe_north1: 100\n";
        let r = price(T, json!({"location": "us-east1"}), "us-east1", Some(usage));
        assert_eq!(r.cost_components.len(), 1);
    }
}
