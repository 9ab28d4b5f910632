//! `azurerm_cosmosdb_mongo_collection`: a collection in the MongoDB database
//! its `database_name` names (by configuration reference, else the database
//! of that `name` in the same account), billed in that database's account, as
//! Infracost reads it; priced by [`super::cosmosdb`] (throughput, storage,
//! backup and restores in each location of the account).

use super::cosmosdb::{self, Parent};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    cosmosdb::price(
        attrs,
        ctx,
        Parent::Via {
            key: "database_name",
            resource_type: "azurerm_cosmosdb_mongo_database",
            field: "name",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::cosmosdb::testing::{child, plan, refers};
    use crate::cost::ResourceCost;
    use crate::cost::testing::component;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    const COLLECTION: &str = "azurerm_cosmosdb_mongo_collection.c";
    const DATABASE: &str = "azurerm_cosmosdb_mongo_database.db";

    /// A collection of 1,000 RU/s in database `db`, whose account `acct` is in
    /// westus and centralus; the collection's own `account_name` names
    /// `other` (westeurope), which Infracost does not read.
    fn collection(expressions: Value) -> ResourceCost {
        let account = json!({"geo_location": [
            {"location": "westus", "failover_priority": 0},
            {"location": "centralus", "failover_priority": 1}]});
        let other = (
            "azurerm_cosmosdb_account.other",
            json!({"name": "other", "resource_group_name": "example-resources", "location": "eastus",
                   "geo_location": [{"location": "westeurope", "failover_priority": 0}]}),
            json!({}),
        );
        let db = child(DATABASE, json!({"name": "db"}));
        let c = (
            COLLECTION,
            json!({"name": "c", "resource_group_name": "example-resources", "account_name": "acct",
                   "database_name": "db", "throughput": 1000}),
            expressions,
        );
        let p = plan(account, &[other, db, c]);
        super::super::price_in_plan(p, None, COLLECTION)
    }

    #[test]
    fn bills_in_the_account_of_the_database_it_refers_to() {
        let r = collection(json!({
            "account_name": refers("azurerm_cosmosdb_account.other", "name"),
            "database_name": refers(DATABASE, "name")}));
        // 10 × 100 RU/s × 730 h × $0.008 in each of the database's locations
        for region in ["West US", "Central US"] {
            let c = component(
                &r,
                &format!("Provisioned throughput (provisioned, {region})"),
            );
            assert_eq!(c.monthly_cost, Some(dec!(58.40)));
        }
        assert_eq!(r.all_components().len(), 7, "{:?}", r.all_components());
    }

    #[test]
    fn a_database_name_written_out_is_matched_by_name_in_the_same_account() {
        let r = collection(json!({}));
        let c = component(&r, "Provisioned throughput (provisioned, Central US)");
        assert_eq!(c.monthly_cost, Some(dec!(58.40)));
    }
}
