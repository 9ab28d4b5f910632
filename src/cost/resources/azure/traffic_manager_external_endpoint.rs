//! `azurerm_traffic_manager_external_endpoint`: the health checks of
//! an external (non-Azure) endpoint, billed at the `Non-Azure Endpoint` meters; see [`super::traffic_manager_azure_endpoint`].

use super::traffic_manager_azure_endpoint::endpoint;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    endpoint(ctx, "Non-Azure Endpoint")
}

#[cfg(test)]
mod tests {
    use super::super::traffic_manager_azure_endpoint::tests::fast_checks;
    use rust_decimal_macros::dec;

    #[test]
    fn basic_and_fast_interval_health_checks() {
        // 1 month (730 h) × $0.54; fast add-on (interval 10 s) 1 month × $2.00
        assert_eq!(
            fast_checks("azurerm_traffic_manager_external_endpoint"),
            (Some(dec!(0.54)), Some(dec!(2.00)))
        );
    }
}
