//! `google_dns_record_set`: DNS queries answered for the record, from the
//! usage file (`monthly_queries`), shown per million at Cloud DNS's global
//! query price, as Infracost prices it (the zone itself is
//! `google_dns_managed_zone`'s line).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal_macros::dec;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(
        ComponentSpec::usage(
            "Queries",
            "1M queries",
            ctx.usage.decimal("monthly_queries"),
            filter("Cloud DNS", "Network", "global", "Count", "on_demand")
                .attr("description", "DNS Query (port 53)"),
        )
        .per(dec!(1000000)),
    );
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_dns_record_set";

    #[test]
    fn queries_are_shown_per_million() {
        // 100,000 queries = 0.1M × $0.40 = $0.04
        let usage = "version: 0.1\nresource_usage:\n  google_dns_record_set.test:\n    monthly_queries: 100000\n";
        let after = json!({"name": "frontend.example.com.", "type": "A", "managed_zone": "zone"});
        let r = price(T, after.clone(), "us-central1", Some(usage));
        let q = component(&r, "Queries");
        assert_eq!(q.monthly_quantity, Some(dec!(0.1)));
        assert_eq!(q.monthly_cost.map(|c| c.normalize()), Some(dec!(0.04)));
        let r = price(T, after, "us-central1", None);
        assert_eq!(
            component(&r, "Queries").status,
            ComponentStatus::UsageMissing
        );
    }
}
