//! Internet egress from a Google service (Cloud Storage, Container
//! Registry), as Infracost shows it: a "Network egress" subresource with one
//! line per destination, tiered at 1 TB and 10 TB, from the usage file's
//! `monthly_egress_data_transfer_gb.{same_continent, worldwide, asia, china,
//! australia}`. Without usage each destination shows its first tier,
//! usage-based. Prices: service `Cloud Storage`, family `Network`, region
//! `global`, by `description`.

use super::filter;
use crate::cost::{ComponentSpec, Ctx};

/// (usage key, SKU description, line names per tier).
const DESTINATIONS: &[(&str, &str, &[&str])] = &[
    (
        "same_continent",
        "Download Same Continent",
        &["Data transfer in same continent"],
    ),
    (
        "worldwide",
        "Download Worldwide Destinations (excluding Asia & Australia)",
        &[
            "Data transfer to worldwide excluding Asia, Australia (first 1TB)",
            "Data transfer to worldwide excluding Asia, Australia (next 9TB)",
            "Data transfer to worldwide excluding Asia, Australia (over 10TB)",
        ],
    ),
    (
        "asia",
        "Download APAC",
        &[
            "Data transfer to Asia excluding China, but including Hong Kong (first 1TB)",
            "Data transfer to Asia excluding China, but including Hong Kong (next 9TB)",
            "Data transfer to Asia excluding China, but including Hong Kong (over 10TB)",
        ],
    ),
    (
        "china",
        "Download China",
        &[
            "Data transfer to China excluding Hong Kong (first 1TB)",
            "Data transfer to China excluding Hong Kong (next 9TB)",
            "Data transfer to China excluding Hong Kong (over 10TB)",
        ],
    ),
    (
        "australia",
        "Download Australia",
        &[
            "Data transfer to Australia (first 1TB)",
            "Data transfer to Australia (next 9TB)",
            "Data transfer to Australia (over 10TB)",
        ],
    ),
];

/// The "Network egress" subresource's lines, same-continent transfer priced
/// as Cloud Storage's "Download Same Continent".
pub(crate) fn egress(ctx: &Ctx) -> (String, Vec<ComponentSpec>) {
    egress_with(ctx, storage_network("Download Same Continent"))
}

/// As [`egress`], for Container Registry: same-continent transfer is
/// billed as inter-region transfer within the registry's continent
/// (`Northern America`, `Europe`, `Asia`, as the Billing Catalog names them).
pub(crate) fn registry_egress(ctx: &Ctx, continent: &str) -> (String, Vec<ComponentSpec>) {
    egress_with(
        ctx,
        storage_network(format!(
            "Network Data Transfer GCP Inter Region within {continent}"
        )),
    )
}

fn storage_network(description: impl Into<String>) -> crate::pricing::PriceFilter {
    filter("Cloud Storage", "Network", "global", "GB", "on_demand").attr("description", description)
}

fn egress_with(
    ctx: &Ctx,
    same_continent: crate::pricing::PriceFilter,
) -> (String, Vec<ComponentSpec>) {
    let lines = DESTINATIONS
        .iter()
        .map(|&(key, description, names)| {
            let price = if key == "same_continent" {
                same_continent.clone()
            } else {
                storage_network(description)
            };
            ComponentSpec::usage(
                names[0],
                "GB",
                ctx.usage
                    .decimal(&format!("monthly_egress_data_transfer_gb.{key}")),
                price,
            )
            .tier_names(names)
        })
        .collect();
    ("Network egress".to_string(), lines)
}
