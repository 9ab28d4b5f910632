//! `azurerm_traffic_manager_nested_endpoint`: the health checks of
//! a nested endpoint (another profile), billed at the `Azure Endpoint` meters as Infracost prices it; see [`super::traffic_manager_azure_endpoint`].

use super::traffic_manager_azure_endpoint::endpoint;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(_attrs: &Attrs, ctx: &Ctx) -> Priced {
    endpoint(ctx, "Azure Endpoint")
}

#[cfg(test)]
mod tests {
    use super::super::traffic_manager_azure_endpoint::tests::fast_checks;
    use rust_decimal_macros::dec;

    #[test]
    fn basic_and_fast_interval_health_checks() {
        // 1 month (730 h) × $0.36; fast add-on (interval 10 s) 1 month × $1.00
        assert_eq!(
            fast_checks("azurerm_traffic_manager_nested_endpoint"),
            (Some(dec!(0.36)), Some(dec!(1.00)))
        );
    }
}
