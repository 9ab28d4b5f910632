//! DNS queries, billed per million in two tiers (the first billion, then
//! beyond), for every Azure DNS record set, public (`azurerm_dns_*_record`)
//! or private (`azurerm_private_dns_*_record`), as Infracost prices them
//! (usage key `monthly_queries`, a count of queries). Queries are priced by
//! the DNS pricing zone of the record's location, like zones are
//! ([`super::dns_zone`]).

use super::dns_zone::dns_zone_of;
use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

/// The usage key every record type reads.
pub(super) const USAGE_KEYS: &[&str] = &["monthly_queries"];

/// Queries per shown unit: the table prices per million.
const PER_MILLION: Decimal = rust_decimal_macros::dec!(1_000_000);

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    let millions = ctx
        .usage
        .decimal("monthly_queries")
        .map(|q| q / PER_MILLION);
    p.push(
        ComponentSpec::usage(
            "DNS queries",
            "1M queries",
            millions,
            filter("Azure DNS", "Networking", dns_zone_of(ctx.region), "1M")
                .attr("meterName", "Public Queries"),
        )
        .tier_names(&["DNS queries (first 1B)", "DNS queries (over 1B)"]),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    /// Every public and private record type Infracost prices by its queries.
    const TYPES: &[&str] = &[
        "azurerm_dns_a_record",
        "azurerm_dns_aaaa_record",
        "azurerm_dns_caa_record",
        "azurerm_dns_cname_record",
        "azurerm_dns_mx_record",
        "azurerm_dns_ns_record",
        "azurerm_dns_ptr_record",
        "azurerm_dns_srv_record",
        "azurerm_dns_txt_record",
        "azurerm_private_dns_a_record",
        "azurerm_private_dns_aaaa_record",
        "azurerm_private_dns_cname_record",
        "azurerm_private_dns_mx_record",
        "azurerm_private_dns_ptr_record",
        "azurerm_private_dns_srv_record",
        "azurerm_private_dns_txt_record",
    ];

    fn usage(t: &str, queries: &str) -> String {
        format!("version: 0.1\nresource_usage:\n  {t}.test:\n    monthly_queries: {queries}\n")
    }

    #[test]
    fn a_billion_queries_stay_in_the_first_tier_for_every_record_type() {
        // 1,000,000,000 queries = 1,000 × 1M × $0.40 = $400.00, no "over 1B" line
        for t in TYPES {
            let r = price(
                t,
                json!({"name": "www", "ttl": 300, "location": "westeurope"}),
                "westeurope",
                Some(&usage(t, "1000000000")),
            );
            assert_eq!(r.all_components().len(), 1, "{t}");
            let c = component(&r, "DNS queries (first 1B)");
            assert_eq!(c.monthly_quantity, Some(dec!(1000)), "{t}");
            assert_eq!(c.monthly_cost, Some(dec!(400)), "{t}");
        }
    }

    #[test]
    fn queries_past_a_billion_cost_half() {
        // 1.5B queries: 1,000 × 1M × $0.40 = $400.00; 500 × 1M × $0.20 = $100.00
        let r = price(
            "azurerm_dns_cname_record",
            json!({"name": "www"}),
            "eastus",
            Some(&usage("azurerm_dns_cname_record", "1500000000")),
        );
        let first = component(&r, "DNS queries (first 1B)");
        assert_eq!(first.monthly_cost, Some(dec!(400)));
        let over = component(&r, "DNS queries (over 1B)");
        assert_eq!(over.monthly_quantity, Some(dec!(500)));
        assert_eq!(over.monthly_cost, Some(dec!(100)));
    }

    #[test]
    fn without_usage_the_first_tier_price_is_shown_and_sovereign_zones_say_no_price() {
        // no monthly_queries: usage-based at $0.40 per 1M queries
        let r = price(
            "azurerm_private_dns_a_record",
            json!({"name": "db"}),
            "westus",
            None,
        );
        let c = component(&r, "DNS queries (first 1B)");
        assert_eq!(c.status, ComponentStatus::UsageMissing);
        assert_eq!(c.price, Some(dec!(0.40)));
        assert_eq!(c.monthly_cost, None);
        // Germany's DNS zone has no query price in our tables
        let r = price(
            "azurerm_dns_a_record",
            json!({"name": "www", "location": "germanywestcentral"}),
            "germanywestcentral",
            Some(&usage("azurerm_dns_a_record", "10")),
        );
        assert_eq!(
            component(&r, "DNS queries (first 1B)").status,
            ComponentStatus::NoPriceFound
        );
    }
}
