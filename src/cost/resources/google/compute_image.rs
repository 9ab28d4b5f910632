//! `google_compute_image`: image storage per GB-month. The size is the usage
//! file's `storage_gb`, else `disk_size_gb`, else the size of what the image
//! is made from as the configuration refers to it: its `source_disk`, the
//! `disk_size_gb` of a `source_image`, or the source disk of a
//! `source_snapshot`'s own resource when the plan has it. Unknown → usage-based.

use super::compute_disk::{known_image_size, stored_copy};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let size = ctx
        .usage
        .decimal("storage_gb")
        .or_else(|| known_image_size(attrs, ctx));
    p.push(stored_copy(size, "Storage Image", ctx));
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
    fn disk_size_or_usage_sets_the_size() {
        // 500 GB × $0.05 = $25.00; usage 1,000 GB wins: $50.00
        let r = price(
            "google_compute_image",
            json!({"disk_size_gb": 500}),
            "us-central1",
            None,
        );
        assert_eq!(r.monthly_cost, Some(dec!(25.00)));
        let usage =
            "version: 0.1\nresource_usage:\n  google_compute_image.test:\n    storage_gb: 1000\n";
        let r = price(
            "google_compute_image",
            json!({"disk_size_gb": 500}),
            "us-central1",
            Some(usage),
        );
        assert_eq!(r.monthly_cost, Some(dec!(50.00)));
    }

    #[test]
    fn an_image_of_a_disk_is_the_disk_size() {
        // source disk 1,000 GB × $0.05 = $50.00
        let r = price_in_plan(
            &[
                (
                    "google_compute_disk.d",
                    json!({"size": 1000, "zone": "us-central1-a"}),
                ),
                ("google_compute_image.i", json!({"name": "i"})),
            ],
            &[(
                "google_compute_image.i",
                &["source_disk"],
                "google_compute_disk.d",
            )],
            None,
            "google_compute_image.i",
        );
        assert_eq!(r.monthly_cost, Some(dec!(50.00)));
        // an image of another image of 100 GB: $5.00
        let r = price_in_plan(
            &[
                ("google_compute_image.a", json!({"disk_size_gb": 100})),
                ("google_compute_image.b", json!({"name": "b"})),
            ],
            &[(
                "google_compute_image.b",
                &["source_image"],
                "google_compute_image.a",
            )],
            None,
            "google_compute_image.b",
        );
        assert_eq!(r.monthly_cost, Some(dec!(5.00)));
    }

    #[test]
    fn an_image_of_unknown_size_is_usage_based() {
        let r = price(
            "google_compute_image",
            json!({"name": "i"}),
            "us-central1",
            None,
        );
        let c = component(&r, "Storage");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.05)));
    }
}
