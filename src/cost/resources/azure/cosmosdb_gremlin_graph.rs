//! `azurerm_cosmosdb_gremlin_graph`: a graph of the account its `account_name` names (as Infracost reads it, not through `database_name`),
//! priced by [`super::cosmosdb`] (throughput, storage, backup and restores
//! in each location of its account).

use super::cosmosdb::{self, Parent};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    cosmosdb::price(attrs, ctx, Parent::Account)
}

#[cfg(test)]
mod tests {
    use super::super::cosmosdb::testing::{child, plan};
    use crate::cost::testing::component;
    use rust_decimal_macros::dec;
    use serde_json::json;

    #[test]
    fn bills_in_the_locations_of_the_account_it_names() {
        let address = "azurerm_cosmosdb_gremlin_graph.x";
        let account = json!({"geo_location": [{"location": "westus", "failover_priority": 0}]});
        let p = plan(account, &[child(address, json!({"throughput": 1000}))]);
        let r = super::super::price_in_plan(p, None, address);
        // 1,000 RU/s = 10 × 100 RU/s × 730 h × $0.008 = $58.40
        let c = component(&r, "Provisioned throughput (provisioned, West US)");
        assert_eq!(c.monthly_cost, Some(dec!(58.40)));
        assert_eq!(r.resource_type, "azurerm_cosmosdb_gremlin_graph");
    }
}
