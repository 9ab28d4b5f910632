//! `google_service_networking_connection`: traffic between the VPC and the
//! service producer's network (Cloud SQL, Memorystore, …), as Infracost
//! prices it: the same "Network egress" lines by destination as a VPN
//! gateway's (see [`super::compute_vpn_gateway`]), named "Traffic …", from
//! `monthly_egress_data_transfer_gb.{same_region, us_or_canada, europe, asia,
//! south_america, oceania, worldwide}`.

use super::compute_vpn_gateway::egress;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    let mut p = Priced::default();
    p.subresources.push(egress(ctx, "Traffic"));
    p
}

#[cfg(test)]
mod tests {
    use crate::cost::ComponentStatus;
    use crate::cost::testing::price;
    use rust_decimal_macros::dec;
    use serde_json::json;

    const T: &str = "google_service_networking_connection";

    #[test]
    fn traffic_is_priced_by_destination() {
        // 250 GB × $0.02 = $5.00 within the region; 200 GB × $0.08 = $16.00 between continents
        let usage = "version: 0.1\nresource_usage:\n  google_service_networking_connection.test:\n    monthly_egress_data_transfer_gb:\n      same_region: 250\n      worldwide: 200\n";
        let r = price(
            T,
            json!({"service": "servicenetworking.googleapis.com"}),
            "us-central1",
            Some(usage),
        );
        let egress = &r.subresources[0];
        assert_eq!(egress.name, "Network egress");
        let line = |name: &str| {
            egress
                .cost_components
                .iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("no line {name}"))
        };
        assert_eq!(
            line("Traffic within the same region")
                .monthly_cost
                .map(|c| c.normalize()),
            Some(dec!(5))
        );
        assert_eq!(
            line("Traffic between continents (excludes Oceania)")
                .monthly_cost
                .map(|c| c.normalize()),
            Some(dec!(16))
        );
        assert_eq!(
            line("Traffic within Asia").status,
            ComponentStatus::UsageMissing
        );
        assert_eq!(egress.cost_components.len(), 7);
    }
}
