//! `google_compute_vpn_tunnel`: a Cloud VPN tunnel, billed per hour.

use super::filter;
use crate::cost::{Attrs, ComponentSpec, Ctx, Priced};
use rust_decimal::Decimal;

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.push(ComponentSpec::hourly(
        "VPN Tunnel",
        "hours",
        Decimal::ONE,
        filter("Compute Engine", "Network", ctx.region, "Hrs", "on_demand")
            .attr("description", "VPN Tunnel"),
    ));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::{component, price};
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn a_tunnel_bills_every_hour() {
        // 730 h × $0.05 = $36.50
        let r = price(
            "google_compute_vpn_tunnel",
            json!({"region": "us-central1"}),
            "us-central1",
            None,
        );
        assert_eq!(component(&r, "VPN Tunnel").monthly_cost, Some(dec!(36.50)));
    }

    #[test]
    fn a_region_without_a_price_says_so() {
        let r = price(
            "google_compute_vpn_tunnel",
            json!({"region": "me-west1"}),
            "me-west1",
            None,
        );
        assert_eq!(
            component(&r, "VPN Tunnel").status,
            ComponentStatus::NoPriceFound
        );
        assert_eq!(r.monthly_cost, None);
    }
}
