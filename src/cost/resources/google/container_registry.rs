//! `google_container_registry`: the Cloud Storage bucket behind a Container
//! Registry, as Infracost prices it: STANDARD storage per GiB-month in the
//! registry's multi-region (`location`: US by default, EU, ASIA), class A/B
//! operations per 10,000, and a "Network egress" subresource whose
//! same-continent line is inter-region transfer within the registry's
//! continent. All from the usage file: `storage_gb`,
//! `monthly_class_a_operations`, `monthly_class_b_operations`,
//! `monthly_egress_data_transfer_gb.{same_continent, worldwide, asia, china,
//! australia}`.

use super::filter;
use super::network_egress::registry_egress;
use super::storage_bucket::{operations, storage_group};
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};

/// The continent a registry's images live in, as the Billing Catalog names
/// it: from its multi-region `location`, else from its region.
fn continent(location: &str, region: &str) -> Option<&'static str> {
    match location {
        "US" => return Some("Northern America"),
        "EU" => return Some("Europe"),
        "ASIA" => return Some("Asia"),
        _ => {}
    }
    let area = region.split('-').next().unwrap_or_default();
    match area {
        "us" | "northamerica" => Some("Northern America"),
        "europe" => Some("Europe"),
        "asia" => Some("Asia"),
        _ => None,
    }
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let location = attrs.str("location").unwrap_or("US").to_ascii_uppercase();
    let (region, group) = storage_group(&location, "STANDARD");
    p.push(ComponentSpec::usage(
        "Storage (standard)",
        "GiB",
        ctx.usage.decimal("storage_gb"),
        filter("Cloud Storage", "Storage", &region, "GB-Mo", "on_demand")
            .attr("resourceGroup", group),
    ));
    p.components.extend(operations(ctx, "STANDARD"));
    let continent = continent(&location, ctx.region).unwrap_or_else(|| {
        p.note(format!(
            "location {location:?} in {} is in no continent Cloud Storage prices \
             inter-region transfer for; same-continent egress priced as within Northern America",
            ctx.region
        ));
        "Northern America"
    });
    p.subresources.push(registry_egress(ctx, continent));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::price;
    use crate::cost::{ComponentStatus, CostComponent, ResourceCost};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_container_registry";

    fn line<'a>(r: &'a ResourceCost, name: &str) -> &'a CostComponent {
        r.cost_components
            .iter()
            .chain(r.subresources.iter().flat_map(|s| s.cost_components.iter()))
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no line {name}: {r:#?}"))
    }

    #[test]
    fn usage_prices_storage_operations_and_egress() {
        // EU: 150 GiB × $0.026 = $3.90; 40,000 class A = 4 × $0.05 = $0.20;
        // 20,000 class B = 2 × $0.004 = $0.008; same continent 550 GB × $0.02 = $11.00;
        // worldwide 12,500 GB: 1,024 × $0.12 + 9,216 × $0.11 + 2,260 × $0.08
        let usage = "version: 0.1\nresource_usage:\n  google_container_registry.test:\n    storage_gb: 150\n    monthly_class_a_operations: 40000\n    monthly_class_b_operations: 20000\n    monthly_egress_data_transfer_gb:\n      same_continent: 550\n      worldwide: 12500\n";
        let r = price(T, json!({"location": "EU"}), "us-central1", Some(usage));
        let storage = line(&r, "Storage (standard)");
        assert_eq!(
            (storage.monthly_quantity, storage.monthly_cost),
            (Some(dec!(150)), Some(dec!(3.900)))
        );
        assert_eq!(
            line(&r, "Object adds, bucket/object list (class A)").monthly_cost,
            Some(dec!(0.20))
        );
        assert_eq!(
            line(&r, "Object gets, retrieve bucket/object metadata (class B)").monthly_cost,
            Some(dec!(0.008))
        );
        assert_eq!(
            line(&r, "Data transfer in same continent").monthly_cost,
            Some(dec!(11.00))
        );
        assert_eq!(
            line(
                &r,
                "Data transfer to worldwide excluding Asia, Australia (over 10TB)"
            )
            .monthly_cost,
            Some(dec!(180.80))
        );
    }

    #[test]
    fn same_continent_transfer_is_priced_in_the_registrys_continent() {
        // without usage: usage-based, at $0.02 in the US (default) and $0.08 in Asia
        for (location, per_gb) in [(None, dec!(0.02)), (Some("ASIA"), dec!(0.08))] {
            let after = match location {
                Some(l) => json!({"location": l}),
                None => json!({}),
            };
            let r = price(T, after, "us-central1", None);
            let same = line(&r, "Data transfer in same continent");
            assert_eq!(same.status, ComponentStatus::UsageMissing, "{location:?}");
            assert_eq!(same.price, Some(per_gb), "{location:?}");
            assert_eq!(line(&r, "Storage (standard)").price, Some(dec!(0.026)));
        }
    }
}
