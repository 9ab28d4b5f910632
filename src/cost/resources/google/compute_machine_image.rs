//! `google_compute_machine_image`: the stored machine image per GB-month,
//! from the usage file (`storage_gb`) only, as Infracost prices it (the size
//! of a machine image depends on its disks' contents, which no plan shows).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::usage(
        "Storage",
        "GB",
        ctx.usage.decimal("storage_gb"),
        filter(
            "Compute Engine",
            "Storage",
            ctx.region,
            "GB-Mo",
            "on_demand",
        )
        .attr("description", "Storage Machine Image"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_compute_machine_image";

    #[test]
    fn storage_comes_from_usage() {
        // 5,000 GB × $0.05 = $250
        let usage = "version: 0.1\nresource_usage:\n  google_compute_machine_image.test:\n    storage_gb: 5000\n";
        let r = price(T, json!({"name": "image"}), "us-central1", Some(usage));
        let c = component(&r, "Storage");
        assert_eq!(c.monthly_quantity, Some(dec!(5000)));
        assert_eq!(c.monthly_cost.map(|c| c.normalize()), Some(dec!(250)));
        let r = price(T, json!({"name": "image"}), "us-central1", None);
        let c = component(&r, "Storage");
        assert_eq!(
            (c.status, c.price),
            (ComponentStatus::UsageMissing, Some(dec!(0.05)))
        );
    }
}
