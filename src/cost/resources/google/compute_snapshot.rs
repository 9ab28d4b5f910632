//! `google_compute_snapshot`: snapshot storage per GB-month. The size is the
//! usage file's `storage_gb` when given, else the size of the `source_disk`
//! the configuration refers to (as Infracost counts a full copy); when
//! neither is known it is usage-based, never $0.

use super::compute_disk::{known_snapshot_size, stored_copy};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let size = ctx
        .usage
        .decimal("storage_gb")
        .or_else(|| known_snapshot_size(ctx));
    p.push(stored_copy(size, "Storage PD Snapshot", ctx));
    p
}

#[cfg(test)]
mod tests {
    use super::super::testing::price_in_plan;
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_snapshot_is_the_size_of_its_source_disk() {
        // disk of 100 GB → 100 GB × $0.026 = $2.60
        let r = price_in_plan(
            &[
                (
                    "google_compute_disk.d",
                    json!({"size": 100, "zone": "us-central1-a"}),
                ),
                ("google_compute_snapshot.s", json!({"name": "s"})),
            ],
            &[(
                "google_compute_snapshot.s",
                &["source_disk"],
                "google_compute_disk.d",
            )],
            None,
            "google_compute_snapshot.s",
        );
        assert_eq!(component(&r, "Storage").monthly_quantity, Some(dec!(100)));
        assert_eq!(r.monthly_cost, Some(dec!(2.600)));
    }

    #[test]
    fn usage_sets_the_size_and_without_either_it_is_usage_based() {
        // 1,000 GB × $0.026 = $26.00
        let usage = "version: 0.1\nresource_usage:\n  google_compute_snapshot.test:\n    storage_gb: 1000\n";
        let r = price(
            "google_compute_snapshot",
            json!({"name": "s"}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(r.monthly_cost, Some(dec!(26.000)));
        let r = price(
            "google_compute_snapshot",
            json!({"name": "s"}),
            "us-central1",
            None,
        );
        assert_eq!(
            component(&r, "Storage").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(r.monthly_cost, None);
    }
}
