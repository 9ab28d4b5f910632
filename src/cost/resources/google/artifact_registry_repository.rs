//! `google_artifact_registry_repository`: stored artifacts per GB-month from
//! the usage file (`storage_gb`), at the one price Artifact Registry charges
//! in every location beyond the free 0.5 GB (as Infracost prices it), and
//! inter-region egress from `monthly_egress_data_transfer_gb.<region>` (GB per
//! destination region, written `europe_west1`), as Infracost groups it:
//! - free to the repository's own region, and from a multi-region (`us`,
//!   `europe`, `asia`) to a region of its own continent;
//! - one line per continent pair, destinations of a line summed: within North
//!   America, Europe or Asia-Pacific ("Data egress Europe to Europe"), to or
//!   from Oceania ("Data egress from/to Oceania"), and everything else
//!   intercontinental ("Intercontinental (Excl Oceania)");
//! - transfer within a continent is priced in the repository's region, the
//!   rest globally; out of Oceania to another continent bills at the
//!   intercontinental rate (the line keeps Oceania's name, as Infracost shows it).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use crate::pricing::PriceFilter;
use rust_decimal::Decimal;
use std::sync::LazyLock;

/// Google Cloud regions a usage file may name as egress destinations.
const REGIONS: &[&str] = &[
    "africa-south1",
    "asia-east1",
    "asia-east2",
    "asia-northeast1",
    "asia-northeast2",
    "asia-northeast3",
    "asia-south1",
    "asia-south2",
    "asia-southeast1",
    "asia-southeast2",
    "australia-southeast1",
    "australia-southeast2",
    "europe-central2",
    "europe-north1",
    "europe-southwest1",
    "europe-west1",
    "europe-west10",
    "europe-west12",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "europe-west6",
    "europe-west8",
    "europe-west9",
    "me-central1",
    "me-central2",
    "me-west1",
    "northamerica-northeast1",
    "northamerica-northeast2",
    "southamerica-east1",
    "southamerica-west1",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-east5",
    "us-south1",
    "us-west1",
    "us-west2",
    "us-west3",
    "us-west4",
];

const EGRESS: &str = "monthly_egress_data_transfer_gb";

/// The usage keys the type reads: storage, then one egress key per region.
pub(crate) fn usage_keys() -> &'static [&'static str] {
    static KEYS: LazyLock<Vec<&'static str>> =
        LazyLock::new(|| {
            std::iter::once("storage_gb")
                .chain(REGIONS.iter().map(|r| {
                    &*Box::leak(format!("{EGRESS}.{}", r.replace('-', "_")).into_boxed_str())
                }))
                .collect()
        });
    &KEYS
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Continent {
    NorthAmerica,
    SouthAmerica,
    Europe,
    AsiaPacific,
    Oceania,
    /// Any other area (the Middle East, Africa): intercontinental.
    Other,
}

impl Continent {
    fn of(location: &str) -> Continent {
        match location.split(['-', '_']).next().unwrap_or_default() {
            "us" | "northamerica" => Continent::NorthAmerica,
            "southamerica" => Continent::SouthAmerica,
            "europe" => Continent::Europe,
            "asia" => Continent::AsiaPacific,
            "australia" => Continent::Oceania,
            _ => Continent::Other,
        }
    }

    /// The name on the line, and in the Billing Catalog's SKU (which spells
    /// Asia-Pacific "AsiaPacfic").
    fn names(self) -> Option<(&'static str, &'static str)> {
        match self {
            Continent::NorthAmerica => Some(("North America", "North America")),
            Continent::Europe => Some(("Europe", "Europe")),
            Continent::AsiaPacific => Some(("AsiaPacific", "AsiaPacfic")),
            _ => None,
        }
    }
}

/// The line name, SKU description and price region of transfer from a
/// repository in `from` (region `region`) to continent `to`.
fn egress_line(from: Continent, to: Continent, region: &str) -> (String, String, String) {
    const SKU: &str = "Artifact Registry Network Inter Region Egress";
    let intercontinental = || {
        (
            format!("{SKU} Intercontinental (Excl Oceania)"),
            "global".to_string(),
        )
    };
    let south_america = from == Continent::SouthAmerica || to == Continent::SouthAmerica;
    let name = if to == Continent::Oceania || from == Continent::Oceania {
        "Data egress from/to Oceania".to_string()
    } else if south_america || from != to {
        "Intercontinental (Excl Oceania)".to_string()
    } else {
        match from.names() {
            Some((shown, _)) => format!("Data egress {shown} to {shown}"),
            None => "Intercontinental (Excl Oceania)".to_string(),
        }
    };
    let (description, price_region) = if to == Continent::Oceania {
        (
            format!("{SKU} Intercontinental to/from Oceania"),
            "global".to_string(),
        )
    } else if south_america || from != to || from == Continent::Oceania {
        intercontinental()
    } else {
        match from.names() {
            Some((_, sku)) => (format!("{SKU} {sku} to {sku}"), region.to_string()),
            None => intercontinental(),
        }
    };
    (name, description, price_region)
}

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
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
    let location = attrs
        .str("location")
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| ctx.region.to_string());
    let multi_region = matches!(location.as_str(), "us" | "europe" | "asia");
    let from = Continent::of(&location);
    // (name, description, price region, GB), in the order first seen.
    let mut lines: Vec<(String, String, String, Decimal)> = Vec::new();
    for destination in REGIONS {
        let key = format!("{EGRESS}.{}", destination.replace('-', "_"));
        let Some(gb) = ctx.usage.decimal(&key).filter(|gb| !gb.is_zero()) else {
            continue;
        };
        let free = *destination == location
            || (multi_region && destination.split('-').next() == Some(location.as_str()));
        if free {
            continue;
        }
        let (name, description, region) = egress_line(from, Continent::of(destination), &location);
        match lines.iter_mut().find(|l| l.0 == name) {
            Some(line) => line.3 += gb,
            None => lines.push((name, description, region, gb)),
        }
    }
    for (name, description, region, gb) in lines {
        let price: PriceFilter = filter("Artifact Registry", "Network", &region, "GB", "on_demand")
            .attr("description", description);
        p.push(ComponentSpec::usage(name, "GB", Some(gb), price));
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
    fn without_usage_storage_is_usage_based() {
        let r = price(T, json!({"location": "us-east1"}), "us-east1", None);
        let c = component(&r, "Storage");
        assert_eq!(
            (c.status, c.price),
            (ComponentStatus::UsageMissing, Some(dec!(0.10)))
        );
        assert_eq!(r.cost_components.len(), 1);
    }

    fn egress(location: &str, destinations: &str) -> crate::cost::ResourceCost {
        let usage = format!(
            "version: 0.1\nresource_usage:\n  google_artifact_registry_repository.test:\n    monthly_egress_data_transfer_gb:\n{destinations}"
        );
        price(
            T,
            json!({"location": location}),
            "us-central1",
            Some(&usage),
        )
    }

    #[test]
    fn egress_is_grouped_by_continent_and_free_within_the_region() {
        // from us-east1: us-east1 free; us-west1 100 GB × $0.01 = $1.00;
        // australia 100 GB × $0.15 = $15.00; europe-north1 + southamerica-east1
        // 200 GB × $0.08 = $16.00
        let r = egress(
            "us-east1",
            "      us_east1: 100\n      us_west1: 100\n      australia_southeast1: 100\n      europe_north1: 100\n      southamerica_east1: 100\n",
        );
        let line = |name: &str| {
            let c = component(&r, name);
            (c.monthly_quantity, c.monthly_cost)
        };
        assert_eq!(
            line("Data egress North America to North America"),
            (Some(dec!(100)), Some(dec!(1.00)))
        );
        assert_eq!(
            line("Data egress from/to Oceania"),
            (Some(dec!(100)), Some(dec!(15.00)))
        );
        assert_eq!(
            line("Intercontinental (Excl Oceania)"),
            (Some(dec!(200)), Some(dec!(16.00)))
        );
        assert_eq!(r.cost_components.len(), 4);
    }

    #[test]
    fn egress_within_europe_and_asia_and_out_of_oceania() {
        // europe-north1 → europe-west1 + europe-west4: 200 GB × $0.02 = $4.00
        let r = egress(
            "europe-north1",
            "      europe_north1: 100\n      europe_west1: 100\n      europe_west4: 100\n",
        );
        assert_eq!(
            component(&r, "Data egress Europe to Europe").monthly_cost,
            Some(dec!(4.00))
        );
        // asia-east1 → asia-northeast1: 100 GB × $0.05 = $5.00
        let r = egress("asia-east1", "      asia_northeast1: 100\n");
        assert_eq!(
            component(&r, "Data egress AsiaPacific to AsiaPacific").monthly_cost,
            Some(dec!(5.00))
        );
        // out of Oceania to Europe: named for Oceania, billed as intercontinental: $8.00
        let r = egress("australia-southeast1", "      europe_west1: 100\n");
        assert_eq!(
            component(&r, "Data egress from/to Oceania").monthly_cost,
            Some(dec!(8.00))
        );
        // a multi-region to a region of its own continent is free
        let r = egress("europe", "      europe_west1: 100\n");
        assert_eq!(r.cost_components.len(), 1);
    }
}
