//! `google_dns_managed_zone`: one Cloud DNS managed zone per month, at the
//! global price (queries are billed to the project, not the zone).

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, _ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::monthly(
        "Managed zone",
        "months",
        Decimal::ONE,
        filter("Cloud DNS", "Network", "global", "Mo", "on_demand")
            .attr("description", "ManagedZone"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_zone_costs_its_monthly_fee_in_any_region() {
        // 1 zone × $0.20 = $0.20, the same wherever the provider points
        for region in ["us-central1", "europe-west4"] {
            let r = price(
                "google_dns_managed_zone",
                json!({"dns_name": "example.com."}),
                region,
                None,
            );
            let c = component(&r, "Managed zone");
            assert_eq!(c.monthly_quantity, Some(dec!(1)));
            assert_eq!(c.monthly_cost, Some(dec!(0.20)));
        }
    }
}
